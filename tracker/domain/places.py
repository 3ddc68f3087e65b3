"""The counties of Lincang, in the order the office lists them."""

CITY_LEVEL = "市直"
COUNTIES: tuple[str, ...] = (
    "临翔区",
    "凤庆县",
    "云县",
    "永德县",
    "镇康县",
    "双江县",
    "耿马县",
    "沧源县",
)
PLACES: tuple[str, ...] = (*COUNTIES, CITY_LEVEL)
FULL_NAMES: dict[str, str] = {
    "双江县": "双江拉祜族佤族布朗族傣族自治县",
    "耿马县": "耿马傣族佤族自治县",
    "沧源县": "沧源佤族自治县",
}
