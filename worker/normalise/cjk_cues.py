"""Cues of CJK pages (no spaces to gate a regex on key words): photo captions and related-
story links as Japanese, Chinese and Korean papers print them."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

CJK_CAPTION_RE = re.compile(r"^(?:[(（\[【]?(?:写真|画像|図|图|图片|圖片|照片|사진)\s*[:：=]|"
                            r"【(?:表|図|图|写真|画像|動画|グラフ|图表|视频|視頻)】|"
                            # a Japanese paper's "...＝3日午後、赤石町、山田健一撮影" ("taken by")
                            r".{2,150}＝[^＝]{2,60}(?:撮影|提供)[)）]?$)")
# A Japanese or Chinese related-story link inside the story: "【関連】...", "【相关阅读】..."
CJK_RELATED_RE = re.compile(r"^[【\[](?:関連|関連記事|あわせて読みたい|もっと読む|相关|相关阅读|"
                            r"相关新闻|延伸阅读|推荐阅读|相關|延伸閱讀)[】\]]")


# A share or font-size bar: "字号：大 中 小  分享到：微信 微博 QQ空间", "シェア ポスト LINE"
_CJK_TOOLS_RE = re.compile(r"(?:分享到|分享至|字号|字體|字体)\s*[:：]|^シェア|공유하기")


def cjk_related(text: str) -> bool:
    """A "【関連】..." related-story line (a cheap first-character test before the regex),
    or a share bar (a short line without a sentence's stop)."""
    if text[:1] in "【[" and CJK_RELATED_RE.match(text) is not None:
        return True
    return len(text) <= 80 and "。" not in text and _CJK_TOOLS_RE.search(text) is not None
