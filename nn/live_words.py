"""The training view's words in English and Chinese, built on the views' shared terms (损失, 权重, 梯度)."""

from __future__ import annotations

from autograd.views.words import check_lang, words

__all__ = ["terms"]


def terms(lang: str) -> dict[str, str]:
    """The live view's phrases in `lang` ("en" or "zh"); {placeholders} are filled with str.format.

    Raises:
        ValueError: For a language other than "en" and "zh".
    """
    w = words(check_lang(lang))
    if lang == "zh":
        return {
            "opening": "fit(live=True) 每轮输出一行{note}；history.save_html(path) 把各轮画成网页",
            "not in a notebook": "（不在 notebook 中）",
            "no ipywidgets": "（未安装 ipywidgets：pip install ipywidgets）",
            "epoch line": "第 {e}/{n} 轮：{summary}",
            "epoch of": "第 {e} 轮（共 {n} 轮）",
            "epoch": "轮",
            "frame": "帧",
            "training": "训练中…",
            "loss": w["loss"],
            "accuracy": "准确率",
            "val_loss": f"验证{w['loss']}",
            "val_accuracy": "验证准确率",
            "separator": "，",
            "network title": (
                f"第 {{e}} 轮之后：边上是{w['weight']} w 和 ∂L/∂w（L 是本轮最后一次更新的{w['loss']}）\n"
                f"方框里是{w['sample']} 1 的值（L₁ 是它的{w['loss']}）"
            ),
            "too many": (
                f"网络有 {{boxes}} 个{w['neuron']}；训练视图最多画 {{most}} 个，请看下面的{w['weight']}。"
            ),
            "not drawn": "网络没有画出：{problem}",
            "boundary": "决策边界",
            "at most": "输出 ≤ {t}",
            "above": "输出 > {t}",
            "class": "类别 {k}",
            "by epoch": "各轮：",
            "axis": "第 {n} 轮",
            "weights legend": (
                f"{w['weight']}，每个{w['neuron']}一行（w0、w1、…，最后是{w['bias']} b）：绿色 > 0，"
                "紫色 < 0，|w| 越大颜色越深；"
            ),
            "grad legend": f"红色：本轮最后一次更新的{w['gradient']} ∂L/∂w。",
            "too many weights": f"{{layer}}：{{count}} 个{w['weight']}，太多，无法显示",
            "title": "训练",
            "previous": "← 上一帧",
            "next": "下一帧 →",
            "where": "第 {k} 帧，共 {n} 帧",
            "keys": "按键：← →（PageUp、PageDown、空格）、Home、End",
            "zoom hint": "网络图太小？点击它（或按 Z）看原尺寸，Esc 关闭",
            "zoom close": "原尺寸的网络图：滚动查看，点击或按 Esc 返回",
        }
    return {
        "opening": "fit(live=True) writes one line per epoch {note}; history.save_html(path) draws them",
        "not in a notebook": "(not in a notebook)",
        "no ipywidgets": "(ipywidgets is not installed: pip install ipywidgets)",
        "epoch line": "epoch {e}/{n}: {summary}",
        "epoch of": "epoch {e} of {n}",
        "epoch": "epoch",
        "frame": "frame",
        "training": "training…",
        "loss": "loss",
        "accuracy": "accuracy",
        "val_loss": "val_loss",
        "val_accuracy": "val_accuracy",
        "separator": ", ",
        "network title": (
            "after epoch {e}: on the edges each weight w and ∂L/∂w, L the loss of the epoch's last update\n"
            "in the boxes, sample 1's values (L₁ its loss)"
        ),
        "too many": (
            "The network has {boxes} neurons; the live view draws it up to {most}, so read the weights below."
        ),
        "not drawn": "network not drawn: {problem}",
        "boundary": "decision boundary",
        "at most": "output ≤ {t}",
        "above": "output > {t}",
        "class": "class {k}",
        "by epoch": "by epoch: ",
        "axis": "epoch {n}",
        "weights legend": (
            "Weights, a row per neuron (w0, w1, …, then the bias b): green > 0, purple < 0, deeper for "
            "a larger |w|; "
        ),
        "grad legend": "red: ∂L/∂w of the epoch's last update.",
        "too many weights": "{layer}: {count} weights, too many to show live",
        "title": "Training",
        "previous": "← previous",
        "next": "next →",
        "where": "frame {k} of {n}",
        "keys": "keys: ← → (PageUp, PageDown, Space), Home, End",
        "zoom hint": "network too small? click it (or press Z) to see it full size; Esc closes",
        "zoom close": "the network full size: scroll to read it; click or press Esc to go back",
    }
