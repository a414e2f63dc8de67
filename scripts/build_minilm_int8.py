#!/usr/bin/env python3
"""Builds the int8 all-MiniLM-L6-v2 ONNX graph from the project's fp32 one.

    build_minilm_int8.py FP32_MODEL.onnx OUT.onnx

The input is the fp32 file scripts/build_minilm_onnx.py makes from the pinned upstream
safetensors; the output is deterministic for the pinned onnx and onnxruntime wheels, and
scripts/setup.sh checks its sha256. Two steps:

1. Attention fused: each layer's scaled dot-product attention (heads split, QK^T, scale,
   padding mask, softmax, times V, heads merged) becomes one ONNX Runtime
   `com.microsoft.MultiHeadAttention` node over the Q, K and V projections, with the
   padding mask as a key-padding mask. That is the same arithmetic in one kernel, and it
   is the attention half of the int8 model's time that integer weights do not help.
2. Dynamic int8 quantization of the MatMuls and the embedding Gathers: int8 weights with
   one scale per output channel, activations quantized on the fly (uint8), which ONNX
   Runtime runs with VNNI/AVX-512 integer kernels where the CPU has them.

Settings tried and measured (docs/benchmarks.md, "int8"): per-tensor, MatMul only, the
transformer optimizer's fusions (which do not match this graph), Q/K/V packed into one
MatMul. This was the fastest that keeps the quality guard (median cosine to fp32 >= 0.99).
"""
import os
import sys

import onnx
from onnx import TensorProto, helper
from onnxruntime.quantization import QuantType, quantize_dynamic

# The nodes scripts/build_minilm_onnx.py emits for one layer's attention core, by name
# (prefix "l{i}_"), and the shared padding-mask nodes they read.
ATTENTION_NODES = ["query_r", "query_t", "key_r", "key_t", "value_r", "value_t", "kT", "qk",
                   "scores", "scores_masked", "probs", "ctx", "ctx_t", "ctx_m"]
MASK_NODES = {"mask_f", "mask_4d", "mask_inv", "mask_bias"}


def fuse_attention(model: onnx.ModelProto) -> onnx.ModelProto:
    g = model.graph
    names = {n.name for n in g.node}
    layers = sum(1 for n in g.node if n.op_type == "Softmax")
    heads = None
    for init in g.initializer:
        if init.name == "split_heads":
            heads = int(onnx.numpy_helper.to_array(init)[2])
    assert heads and layers, "not a graph from scripts/build_minilm_onnx.py"

    drop = set(MASK_NODES)
    fused = [helper.make_node("Cast", ["attention_mask"], ["mask_i32"], name="mask_i32",
                              to=TensorProto.INT32)]
    for i in range(layers):
        t = f"l{i}_"
        for n in ATTENTION_NODES:
            assert t + n in names, f"missing node {t + n}"
            drop.add(t + n)
        # Output name kept: the attention output projection reads "l{i}_ctx_m".
        fused.append(helper.make_node(
            "MultiHeadAttention", [t + "query", t + "key", t + "value", "", "mask_i32"],
            [t + "ctx_m"], name=t + "mha", domain="com.microsoft", num_heads=heads))

    kept = [n for n in g.node if n.name not in drop]
    # Topological order: every fused node goes right after the last node it reads from.
    produced_by = {o: n for n in kept + fused for o in n.output}
    order, seen = [], set()

    def visit(n):
        if n.name in seen:
            return
        seen.add(n.name)
        for inp in n.input:
            if inp in produced_by:
                visit(produced_by[inp])
        order.append(n)

    for n in kept + fused:
        visit(n)
    del g.node[:]
    g.node.extend(order)
    used = {i for n in order for i in n.input}
    inits = [x for x in g.initializer if x.name in used]
    del g.initializer[:]
    g.initializer.extend(inits)
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return model


def main() -> None:
    src, out = sys.argv[1], sys.argv[2]
    fused_path = out + ".fused.onnx"
    onnx.save(fuse_attention(onnx.load(src)), fused_path)
    try:
        quantize_dynamic(
            fused_path,
            out,
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul", "Gather"],
            # The graph carries no value_info for intermediate tensors: they are float.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        os.remove(fused_path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main()
