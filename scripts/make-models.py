#!/usr/bin/env python3
"""Builds servebench's two shipped ONNX models (models/model-a.onnx, models/model-b.onnx) with the onnx
package (pip install onnx): the defaults of model-a and model-b under `--predict onnx`.

- model-a: a logistic regression over the 8 features of an entity: sigmoid(x . w + b).
- model-b: a small multi-layer perceptron: sigmoid(relu(x W1 + b1) W2 + b2), 8 -> 16 -> 1.

Both take one input `features` (float32, shape [batch, 8], the batch dimension dynamic) and give one output
`score` (float32, [batch, 1]). Weights come from a fixed seed, so the files are the same on every run.

With --fixtures it writes the test fixtures instead (test/fixtures/models/): models servebench must run
(four-features.onnx: 4 features; rank1-float64.onnx: a float64 [8] input) and models it must refuse at start,
naming the input (two-inputs.onnx, dynamic-features.onnx, string-input.onnx).

Usage: python3 scripts/make-models.py [out-dir]              (default: models/)
       python3 scripts/make-models.py --fixtures [out-dir]   (default: test/fixtures/models/)
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


def value(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def fixtures(out):
    rng = np.random.default_rng(7)
    f32 = TensorProto.FLOAT
    # Runs: 4 features, so the feature store must follow the model's feature dimension.
    w4 = tensor("w", rng.normal(0, 0.5, size=(4, 1)))
    b4 = tensor("b", [0.05])
    g = helper.make_graph(
        [helper.make_node("Gemm", ["x", "w", "b"], ["logit"]), helper.make_node("Sigmoid", ["logit"], ["p"])],
        "four_features", [value("x", f32, ["batch", 4])], [value("p", f32, ["batch", 1])], [w4, b4])
    save(g, os.path.join(out, "four-features.onnx"), "fixture: logistic regression over 4 features")
    # Runs: a float64 input without a batch dimension, [8] -> [1].
    w8 = numpy_helper.from_array(rng.normal(0, 0.5, size=(8, 1)).astype(np.float64), "w")
    g = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        "rank1_float64", [value("x", TensorProto.DOUBLE, [8])], [value("y", TensorProto.DOUBLE, [1])], [w8])
    save(g, os.path.join(out, "rank1-float64.onnx"), "fixture: a float64 [8] input")
    # Refused: two inputs.
    g = helper.make_graph(
        [helper.make_node("Add", ["a", "b"], ["y"])],
        "two_inputs", [value("a", f32, ["batch", 8]), value("b", f32, ["batch", 8])], [value("y", f32, ["batch", 8])])
    save(g, os.path.join(out, "two-inputs.onnx"), "fixture: two inputs")
    # Refused: the feature dimension is dynamic.
    g = helper.make_graph(
        [helper.make_node("ReduceSum", ["x"], ["y"], keepdims=1)],
        "dynamic_features", [value("x", f32, ["batch", "n"])], [value("y", f32, ["batch", 1])])
    save(g, os.path.join(out, "dynamic-features.onnx"), "fixture: a dynamic feature dimension")
    # Refused: a string input.
    g = helper.make_graph(
        [helper.make_node("Identity", ["text"], ["y"])],
        "string_input", [value("text", TensorProto.STRING, ["batch", 8])], [value("y", TensorProto.STRING, ["batch", 8])])
    save(g, os.path.join(out, "string-input.onnx"), "fixture: a string input")


def main():
    args = sys.argv[1:]
    here = os.path.dirname(__file__)
    if args[:1] == ["--fixtures"]:
        out = args[1] if len(args) > 1 else os.path.join(here, "..", "test", "fixtures", "models")
        os.makedirs(out, exist_ok=True)
        fixtures(out)
        return
    out = args[0] if args else os.path.join(here, "..", "models")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261207)
    save(logistic_regression(rng), os.path.join(out, "model-a.onnx"), "servebench model-a: logistic regression, 8 features -> score")
    save(mlp(rng), os.path.join(out, "model-b.onnx"), "servebench model-b: MLP 8 -> 16 (relu) -> 1 (sigmoid)")


if __name__ == "__main__":
    main()
