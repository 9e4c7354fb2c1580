"""A photo caption signed by its photographer at its end is no paragraph of the story."""

from __future__ import annotations

import pytest

from worker.events.models import Source
from worker.normalise.article import normalise_text
from worker.normalise.lines import signed_caption


@pytest.mark.parametrize("line", [
    "3月13日，市民在北京市东城区的自行车专用道上骑行。新华社记者 王五 摄",
    "3月13日，市民在自行车专用道上骑行。（新华社记者王五摄）",
    "Passengers wait to board the evening ferry on Thursday. STAFF PHOTO / DEV PATEL",
    "Fans cheer in the stadium on Sunday night. (Photo: Jane Doe)",
    "Người dân đi xe đạp trên đường phố Hà Nội sáng nay. Ảnh: Minh Anh",
    "ראש הממשלה נואם בכנסת ביום שני. צילום: יוסי כהן",
    "Die Feuerwehr löscht den Brand in der Altstadt. Foto: Max Muster",
])
def test_signed_captions(line: str) -> None:
    assert signed_caption(line)


@pytest.mark.parametrize("line", [
    "He said the photo was taken in 1999 on the beach near his home.",
    "Photo: Reuters",
    "这是他去年在北京拍摄的照片。",
    "Maya Solano and Theo Brandt Confirm Engagement With Beach Photos: 'Easiest Yes Ever'",
])
def test_not_signed_captions(line: str) -> None:
    assert not signed_caption(line)


def test_an_indented_signed_caption_is_dropped_from_the_body() -> None:
    paras = [
        "记者从北京市交通委员会获悉，今年北京将新建和改造自行车道、步行道等慢行系统约200公里。",
        "据介绍，今年的建设任务包括新建长安街沿线东延段自行车专用道，完善二环路周边慢行通道。",
        "数据显示，2024年北京中心城区绿色出行比例达到75.2%，比上一年提高了0.8个百分点。"]
    text = "\n\n".join(["北京今年将新建改造200公里慢行系统", paras[0], paras[1],
                        "　　3月13日，市民在北京市东城区的自行车专用道上骑行。新华社记者 王五 摄",
                        paras[2]])
    art = normalise_text(text, source=Source(kind="file", location="caption"))
    assert list(art.body) == paras
