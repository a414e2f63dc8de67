#!/usr/bin/env python3
"""Quantizes the project's fp32 all-MiniLM-L6-v2 ONNX graph to int8 (dynamic, per-channel).

    build_minilm_int8.py FP32_MODEL.onnx OUT.onnx

The input is the fp32 file scripts/build_minilm_onnx.py makes from the pinned upstream
safetensors; the output is deterministic for the pinned onnx and onnxruntime wheels, and
scripts/setup.sh checks its sha256. Weights of every MatMul (and the embedding Gathers)
become int8 with one scale per output channel; activations are quantized on the fly
(uint8), which ONNX Runtime runs with VNNI/AVX-512 integer kernels where the CPU has them.

Settings tried and measured (docs/benchmarks.md, "int8"): per-tensor, MatMul only,
and with the transformer optimizer's attention fusion first. Per-channel over all
operators was the fastest that keeps the quality guard (median cosine to fp32 >= 0.99).
"""
import sys

import onnx
from onnxruntime.quantization import QuantType, quantize_dynamic


def main() -> None:
    src, out = sys.argv[1], sys.argv[2]
    quantize_dynamic(
        src,
        out,
        weight_type=QuantType.QInt8,
        per_channel=True,
        # The graph carries no value_info for intermediate tensors: they are float.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


if __name__ == "__main__":
    main()
