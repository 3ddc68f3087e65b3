from datetime import date, datetime

import pytest

from tracker.domain import geo
from tracker.domain import photos as rules
from tracker.domain.places import COUNTIES

MONTH = date(2026, 6, 1)
SITE = rules.Site("双江县", 23.47, 99.83, MONTH, 3.0)
NO_PLACE_SITE = rules.Site("双江县", None, None, MONTH, 3.0)


@pytest.mark.parametrize(
    ("taken", "place", "site", "keys"),
    [
        (datetime(2026, 6, 10, 9), (23.47, 99.84), SITE, []),
        (datetime(2025, 6, 10, 9), (23.47, 99.84), SITE, [rules.OTHER_MONTH]),
        (datetime(2026, 5, 31, 23, 59), (23.47, 99.84), SITE, [rules.OTHER_MONTH]),
        (None, (23.47, 99.84), SITE, [rules.NO_TIME]),
        (datetime(2026, 6, 10), None, SITE, [rules.NO_PLACE]),
        (datetime(2026, 6, 10), (23.88, 100.09), SITE, [rules.TOO_FAR]),  # 临翔 town
        (datetime(2026, 6, 10), (23.47, 99.84), NO_PLACE_SITE, []),  # in the county
        (datetime(2026, 6, 10), (23.88, 100.09), NO_PLACE_SITE, [rules.OTHER_COUNTY]),
        (None, None, SITE, [rules.NO_TIME, rules.NO_PLACE]),
    ],
)
def test_a_photo_is_flagged_for_each_check_it_fails(taken, place, site, keys):
    lat, lon = place or (None, None)
    assert [f.key for f in rules.check(taken, lat, lon, site)] == keys


def test_the_distance_flag_says_how_far_and_the_limit():
    (flag,) = rules.check(datetime(2026, 6, 10), 23.88, 100.09, SITE)
    assert flag.params["limit"] == "3"
    assert 45 < float(flag.params["km"]) < 70  # 双江 to 临翔 is about 55 km as the crow flies


def test_the_eight_counties_are_drawn_and_their_seats_lie_in_them():
    names = [f["id"] for f in geo.counties_geojson()["features"]]
    assert sorted(names) == sorted(COUNTIES)
    seats = {  # county seats (approximate, WGS-84)
        "临翔区": (23.887, 100.082),
        "凤庆县": (24.580, 99.928),
        "云县": (24.445, 100.129),
        "永德县": (24.018, 99.259),
        "镇康县": (23.762, 98.825),
        "双江县": (23.473, 99.828),
        "耿马县": (23.538, 99.397),
        "沧源县": (23.146, 99.246),
    }
    for county, (lat, lon) in seats.items():
        assert geo.county_at(lat, lon) == county
    assert geo.county_at(25.04, 102.71) is None  # 昆明


def test_a_demo_site_lies_in_its_county_and_is_the_same_for_the_same_seed():
    for county in COUNTIES:
        lat, lon = geo.point_in_county(county, 11)
        assert geo.county_at(lat, lon) == county
        assert geo.point_in_county(county, 11) == (lat, lon)


def test_the_watermark_place_names_the_hemispheres():
    assert rules.place_text(23.47, 99.83) == "23.47000°N 99.83000°E"
    assert rules.place_text(None, 99.83) == ""
