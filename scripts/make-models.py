#!/usr/bin/env python3
"""Builds servebench's two shipped ONNX models (models/model-a.onnx, models/model-b.onnx) with the onnx
package (pip install onnx): the defaults of model-a and model-b under `--predict onnx`.

- model-a: a logistic regression over the 8 features of an entity: sigmoid(x . w + b).
- model-b: a small multi-layer perceptron: sigmoid(relu(x W1 + b1) W2 + b2), 8 -> 16 -> 1.

Both take one input `features` (float32, shape [batch, 8], the batch dimension dynamic) and give one output
`score` (float32, [batch, 1]). Weights come from a fixed seed, so the files are the same on every run.
Usage: python3 scripts/make-models.py [out-dir]   (default: models/)
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FEATURES = 8
HIDDEN = 16
OPSET = 17


def tensor(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def io(name):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", FEATURES if name == "features" else 1])


def save(graph, path, doc):
    model = helper.make_model(graph, producer_name="servebench scripts/make-models.py", opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    model.doc_string = doc
    onnx.checker.check_model(model)
    onnx.save(model, path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def logistic_regression(rng):
    w = rng.normal(0, 0.5, size=(FEATURES, 1))
    b = rng.normal(0, 0.1, size=(1,))
    nodes = [
        helper.make_node("Gemm", ["features", "w", "b"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], ["score"]),
    ]
    return helper.make_graph(nodes, "model_a_logistic_regression", [io("features")], [io("score")], [tensor("w", w), tensor("b", b)])


def mlp(rng):
    w1 = rng.normal(0, 0.5, size=(FEATURES, HIDDEN))
    b1 = rng.normal(0, 0.1, size=(HIDDEN,))
    w2 = rng.normal(0, 0.5, size=(HIDDEN, 1))
    b2 = rng.normal(0, 0.1, size=(1,))
    nodes = [
        helper.make_node("Gemm", ["features", "w1", "b1"], ["h"]),
        helper.make_node("Relu", ["h"], ["a"]),
        helper.make_node("Gemm", ["a", "w2", "b2"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], ["score"]),
    ]
    inits = [tensor("w1", w1), tensor("b1", b1), tensor("w2", w2), tensor("b2", b2)]
    return helper.make_graph(nodes, "model_b_mlp", [io("features")], [io("score")], inits)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "models")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261207)
    save(logistic_regression(rng), os.path.join(out, "model-a.onnx"), "servebench model-a: logistic regression, 8 features -> score")
    save(mlp(rng), os.path.join(out, "model-b.onnx"), "servebench model-b: MLP 8 -> 16 (relu) -> 1 (sigmoid)")


if __name__ == "__main__":
    main()
