"""The drawings' and the lecture player's sentences in English and Chinese, built on the views' terms."""

from __future__ import annotations

from collections.abc import Iterable

from ..views.numbers import format_value, operand_text
from ..views.steps import BackwardStep, derivative_equation
from ..views.words import check_lang, words

__all__ = ["CJK_FONT", "activation_names", "backward_caption", "phrase"]

#: The font drawings use for Chinese (Debian's fonts-noto-cjk); pass fontname= for another.
CJK_FONT = "Noto Sans CJK SC"


def _table(lang: str) -> dict[str, str]:
    w = words(lang)
    if lang == "zh":
        return {
            "legend value": f"上：{w['value']}（{w['forward']}）",
            "legend tangent": "下：切向量 ∂输入/∂{x}（前向模式）",
            "legend gradient": f"下：沿这条边的 ∂{{f}}/∂{w['input']}（{w['backward']}）",
            "legend local": f"再下：{w['local']}",
            "start": f"这是{w['input']}；按 → 开始{w['forward']}。",
            "forward step": f"{w['forward']}，第 {{i}} 步（共 {{n}} 步）：{{text}}",
            "backward step": f"{w['backward']}，{{text}}",
            "backward head": "第 {i} 步：{node}，∂{f}/∂{node} = {g}",
            "backward input": "  {local}；贡献 {up} × {d} = {c}；∂{f}/∂{name} 目前累计 = {total}",
            "position": "第 {p} 步 / 共 {n} 步",
            "previous": "上一步",
            "next": "下一步",
            "presenter": "演示模式",
            "table": "表格",
            "table title": "显示或隐藏表格",
            "keys": "步进",
            "blank": "黑屏",
            "blank title": "黑屏：按任意键或点击继续",
            "node": w["node"],
            "function": "函数",
            "local": w["local"],
            "value": w["value"],
            "gradient": f"∂{{f}}/∂{w['node']}",
            "input": f"{{name}}（{w['input']}）",
            "constant": "常数 {name}",
            "output": f"{w['output']} {{f}}",
            "box back": f"{{box}} 收到 {{grads}}，传给它的 {{p}} 个参数和它的{w['input']}",
            "step of": "第 {i} 步（共 {n} 步）：",
            # the grouped drawings (group="neuron" | "layer"): out, ∂f/∂out, w and b stay symbols
            "parameters": "{p} 个参数",
            "linear": "线性",
            "neuron box": "{kind} · {params}",
            "layer box": "{n} 个{kinds}{neuron} · {params}",
            "sample k": f"{w['sample']} {{k}}",
            "n values": "{n} 个值",
            "operations": "{n} 个运算：{kinds}",
            "constants": "常数：",
            "the loss": w["loss"],
            "list": "、",
            "zoom page": "屏幕上太小？按 Ctrl + 放大网页",
            "boxes": "{per}{rows}：out 是离开方框的值{gradient}",
            "per neuron": f"每个{w['neuron']}一个方框",
            "per layer": "每层一个方框",
            "rows": "，{rows}各一行",
            "row kind": "每个{k}",
            "and": "、",
            "boxes gradient": f"，∂{{f}}/∂out 是传回来的{w['gradient']}",
            "quiet": (
                "灰色的边（进入 {where}）太多，不标数字："
                "它们的值写在出发的方框里（输入的值写在它自己的方框里）"
            ),
            "the layer": "该层",
            "bundled": "标着“n 个值”的边带着 n 个值：即出发方框里的各行",
            "one box": "方框“{f}”包含网络之后的 {n} 个运算，并列出它们的常数",
            "samples": f"网络在 {{n}} 个{w['sample']}上运行：每行注明是哪个（{w['sample']} 1 … {{n}}）",
            "weights": (
                f"进入{w['neuron']}的每条边上标的是它的{w['weight']} w（绿色 > 0，紫色 < 0，灰色 = 0，"
                "|w| 越大越粗）{grad}"
            ),
            "weights grad": "，下面是 ∂{f}/∂w",
            "weights bias": f"方框最后一行是{w['bias']} b{{grad}}",
            "bias grad": " 和 ∂{f}/∂b",
            "weights quiet": f"进入 {{where}} 的边太多，不标数字：颜色和粗细表示{w['weight']}",
            "weight shares": (
                f"从{w['input']}出发，每个{w['sample']}一条边，标的是该{w['sample']}对 ∂{{f}}/∂w 的贡献；"
                f"两个方框之间只有一条边，标的是各{w['sample']}之和"
            ),
            "used elsewhere": "有些权重在乘积之外也被用到（例如正则项）：边上只是乘积那部分的 ∂{f}/∂w",
            "zoom": "屏幕上太小？在浏览器中单独打开 .svg（原尺寸），用 Ctrl + 放大",
        }
    return {
        "legend value": "top: value (forward)",
        "legend tangent": "below: tangent ∂input/∂{x} (forward mode)",
        "legend gradient": "below: ∂{f}/∂input along the edge (backward)",
        "legend local": "then: local derivative",
        "start": "The inputs; step forward to run the forward pass.",
        "forward step": "Forward pass, step {i} of {n}: {text}",
        "backward step": "Backward pass, {text}",
        "backward head": "step {i}: {node}, ∂{f}/∂{node} = {g}",
        "backward input": "  {local}; contribution {up} × {d} = {c}; ∂{f}/∂{name} so far = {total}",
        "position": "step {p} of {n}",
        "previous": "previous step",
        "next": "next step",
        "presenter": "presenter mode",
        "table": "table",
        "table title": "show or hide the table",
        "keys": "step",
        "blank": "blank",
        "blank title": "blank screen: press any key or click",
        "node": "node",
        "function": "function",
        "local": "local derivative(s)",
        "value": "value",
        "gradient": "∂{f}/∂node",
        "input": "{name} (input)",
        "constant": "the constant {name}",
        "output": "the output {f}",
        "box back": "{box} gets {grads} back and passes it on to its {p} parameters and its inputs",
        "step of": "step {i} of {n}: ",
        "parameters": "{p} parameters",
        "linear": "linear",
        "neuron box": "{kind} · {params}",
        "layer box": "{n} {kinds} {neuron} · {params}",
        "sample k": "sample {k}",
        "n values": "{n} values",
        "operations": "{n} operations: {kinds}",
        "constants": "constants: ",
        "the loss": "the loss",
        "list": ", ",
        "zoom page": "too small on the screen? zoom the page with Ctrl +",
        "boxes": "{per}{rows}: out is the value that leaves it{gradient}",
        "per neuron": "one box per neuron",
        "per layer": "one box per layer",
        "rows": ", a row per {rows}",
        "row kind": "{k}",
        "and": " and ",
        "boxes gradient": ", ∂{f}/∂out the gradient that comes back",
        "quiet": (
            "the grey edges (into {where}) are too many to label and carry no numbers: read their "
            "values in the boxes they leave (an input's in its own box)"
        ),
        "the layer": "the layer",
        "bundled": 'an edge marked "n values" carries n of them: the rows of the box it leaves',
        "one box": 'the box "{f}" holds the {n} operations after the network and lists their constants',
        "samples": "the network ran on {n} samples: each row says which (sample 1 … {n})",
        "weights": (
            "each edge into a neuron carries instead its weight w (green > 0, purple < 0, grey = 0, "
            "thicker for a larger |w|){grad}"
        ),
        "weights grad": ", below it ∂{f}/∂w",
        "weights bias": "a box's last row is its bias b{grad}",
        "bias grad": " and ∂{f}/∂b",
        "weights quiet": "the edges into {where} are too many to label: colour and width show the weight",
        "weight shares": (
            "from an input, an edge per sample carries that sample's share of ∂{f}/∂w; between two boxes "
            "one edge carries their sum"
        ),
        "used elsewhere": (
            "some weights are used outside their products too (a penalty, say): their edges carry only "
            "the products' part of ∂{f}/∂w"
        ),
        "zoom": (
            "too small on the screen? open the .svg by itself in a browser (drawn full size) "
            "and zoom with Ctrl +"
        ),
    }


_PHRASES = {lang: _table(lang) for lang in ("en", "zh")}


def phrase(lang: str, key: str, **fields: object) -> str:
    """A sentence in lang, blanks filled: phrase("zh", "position", p=1, n=12) is "第 1 步 / 共 12 步"."""
    return _PHRASES[check_lang(lang)][key].format(**fields)


def activation_names(kinds: Iterable[str], lang: str) -> str:
    """A box's activations as it writes them: "relu", "relu/tanh"; "linear" (线性) for none."""
    names = sorted(set(kinds)) or ["linear"]
    return "/".join(phrase(lang, "linear") if name == "linear" else name for name in names)


def backward_caption(step: BackwardStep, lang: str) -> str:
    """A backward step written out in lang, line for line as BackwardStep.text() writes it in English."""
    if lang == "en":
        return phrase(lang, "backward step", text=step.text())
    f, me, p = step.output, step.name, step.precision
    lines = [phrase(lang, "backward head", i=step.index, node=me, f=f, g=format_value(step.upstream, p))]
    for u in step.updates:
        if u.parent.is_constant:
            continue
        lines.append(
            phrase(
                lang,
                "backward input",
                local=derivative_equation(me, u.name, u.formula, u.local, p),
                up=operand_text(step.upstream, p),
                d=operand_text(u.local, p),
                c=format_value(u.contribution, p),
                f=f,
                name=u.name,
                total=format_value(u.total, p),
            )
        )
    return phrase(lang, "backward step", text="\n".join(lines))
