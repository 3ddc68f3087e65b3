"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

Media (#18): site photos (refusals, checks, watermark, the project page's timeline), the
project's location and the map page.
"""

TEXTS: dict[str, tuple[str, str]] = {
    # refusals of an upload (tracker.media.images, tracker.services.photos)
    "photo.err.too_big": (
        "文件 {size} MB，超过照片上限 {limit} MB",
        "The file is {size} MB, over the photo limit of {limit} MB",
    ),
    "photo.err.not_image": (
        "不是图片（只接受 JPEG、PNG、WebP 或 HEIC 照片）",
        "Not an image (only JPEG, PNG, WebP or HEIC photos are accepted)",
    ),
    "photo.err.heic": (
        "本系统不能读取 HEIC 照片：请在手机相机设置中选择“兼容性最佳”（JPEG）后重新拍摄或上传",
        "HEIC photos cannot be read here: choose 'Most compatible' (JPEG) in the camera settings and upload again",
    ),
    "photo.err.polyglot": (
        "文件中夹带了其他内容（压缩包、PDF 或网页代码），不是单纯的照片",
        "The file carries something else besides a photo (an archive, a PDF or web code)",
    ),
    "photo.err.unreadable": (
        "图片已损坏或无法读取",
        "The image is damaged or cannot be read",
    ),
    "photo.err.too_many_pixels": (
        "图片尺寸 {width}×{height} 超过上限（{limit} 百万像素）",
        "The image is {width}×{height}, over the limit of {limit} megapixels",
    ),
    "photo.err.bomb": (
        "图片的像素数远超上限（{limit} 百万像素），已拒收（疑似“解压炸弹”）",
        "The image has far more pixels than the limit of {limit} megapixels: refused (a likely decompression bomb)",
    ),
    "photo.err.batch": (
        "照片未保存（一张也没有保存）：{files}",
        "No photo was saved: {files}",
    ),
    "photo.err.none": ("请选择要上传的照片", "Choose the photos to upload"),
    "photo.err.too_many": (
        "一次最多上传 {limit} 张照片",
        "At most {limit} photos can be uploaded at once",
    ),
    "photo.err.report_missing": (
        "找不到该项目的这份月报",
        "This monthly report of the project was not found",
    ),
    "photo.missing": ("照片不存在或无权查看", "The photo does not exist or is not yours to see"),
    "photo.file_missing": (
        "照片文件缺失，请联系办公室从备份恢复",
        "The photo's file is missing: ask the office to restore it from the backup",
    ),
    # the checks (tracker.domain.photos)
    "photo.flag.no_time": (
        "照片没有拍摄时间（EXIF），无法确认拍摄月份",
        "The photo carries no time taken (EXIF): its month cannot be confirmed",
    ),
    "photo.flag.other_month": (
        "拍摄于 {taken}，不在填报月份 {month} 内",
        "Taken on {taken}, not within the reporting month {month}",
    ),
    "photo.flag.no_place": (
        "照片没有拍摄位置（GPS），无法确认拍摄地点",
        "The photo carries no position (GPS): its place cannot be confirmed",
    ),
    "photo.flag.too_far": (
        "拍摄地点距项目位置 {km} 公里，超过 {limit} 公里",
        "Taken {km} km from the project's location, farther than {limit} km",
    ),
    "photo.flag.other_county": (
        "拍摄地点不在项目所在的{county}",
        "Taken outside the project's county ({county})",
    ),
    # the watermark band
    "photo.wm.taken": ("拍摄时间 {at}", "Taken {at}"),
    "photo.wm.place": ("拍摄地点 {place}", "Place {place}"),
    "photo.no_time": ("无拍摄时间", "no time recorded"),
    "photo.no_place": ("无位置信息", "no position recorded"),
    # the project page's timeline
    "photo.section": ("现场照片（形象进度）", "Site photos (visible progress)"),
    "photo.upload": (
        "拍照或选择照片（可多选）",
        "Take or choose photos (several at once)",
    ),
    "photo.upload_hint": (
        "照片需带拍摄时间和位置；每张不超过 {limit} MB",
        "Photos should carry their time and position; at most {limit} MB each",
    ),
    "photo.attach_to": (
        "关联月报或节点（可不选：本月）",
        "For a monthly report or a milestone (optional: this month)",
    ),
    "photo.for_report": ("{month} 月报", "Report of {month}"),
    "photo.saved": ("已保存 {count} 张照片", "{count} photos saved"),
    "photo.saved_flagged": (
        "已保存 {count} 张照片，其中 {flagged} 张未通过核验",
        "{count} photos saved; {flagged} did not pass the checks",
    ),
    "photo.none_yet": ("还没有现场照片", "No site photos yet"),
    "photo.passed": ("核验通过", "Checks passed"),
    "photo.flagged": ("存疑", "Questioned"),
    "photo.before": ("最早", "Before"),
    "photo.after": ("最新", "Latest"),
    "photo.month": ("{month} 月报", "Report of {month}"),
    "photo.open": ("查看原图", "Open the photo"),
    "photo.use_location": (
        "以此照片位置作为项目位置",
        "Use this photo's place as the project's location",
    ),
    "photo.milestone": ("节点：{name}", "Milestone: {name}"),
    # the bulletin's photo annex
    "photo.annex_title": ("附件：红灯项目现场照片", "Annex: site photos of the red projects"),
    "photo.annex_caption": (
        "{code} {name}（{county}）最新现场照片",
        "{code} {name} ({county}): latest site photo",
    ),
    # the project's location
    "location.err.invalid": (
        "位置无效：纬度应在 -90 至 90 之间，经度在 -180 至 180 之间",
        "Not a place: the latitude must lie between -90 and 90, the longitude between -180 and 180",
    ),
    "location.err.county": (
        "该位置不在项目所在的{county}境内",
        "This place is not within the project's county ({county})",
    ),
    "location.err.city": (
        "该位置不在临沧市八县（区）境内",
        "This place is not within the eight counties of Lincang",
    ),
    "location.err.stale": (
        "项目信息已被他人修改，请刷新后重试",
        "The project was changed by someone else: reload and try again",
    ),
    "location.err.photo_has_none": (
        "这张照片没有位置信息",
        "This photo carries no position",
    ),
    "location.saved": ("已保存项目位置", "The project's location is saved"),
    "location.label": ("项目位置", "Location"),
    "location.none": ("未标注", "Not set"),
    "location.hint": (
        "在地图上点击项目所在位置，再点“保存位置”",
        "Click the project's place on the map, then Save location",
    ),
    "location.save": ("保存位置", "Save location"),
    "location.chosen": ("已选位置：{place}", "Chosen: {place}"),
    # the project page's history (audit entries of a location set)
    "action.locate": ("标注位置", "Location set"),
    "field.latitude": ("纬度", "Latitude"),
    "field.longitude": ("经度", "Longitude"),
    # the map page
    "map.title": ("项目一张图", "Projects on the map"),
    "map.nav": ("项目地图", "Map"),
    "map.count": (
        "地图上 {shown} 个项目（{missing} 个未标注位置）",
        "{shown} projects on the map ({missing} without a location)",
    ),
    "map.county": ("县（区）", "County"),
    "map.locate_for": ("为项目标注位置", "Set a project's location"),
    "map.pick_project": ("选择项目", "Choose a project"),
}
