#!/usr/bin/env python3
"""Writes the tiny ONNX model the runtime adapter's tests run: y = relu(x · W + b) with x of shape [batch, 3],
W = [[1, -1], [2, 0], [0, 1]], b = [0.5, -4] (opset 13). Usage: make-tiny-onnx.py OUT.onnx"""
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

w = numpy_helper.from_array(np.array([[1, -1], [2, 0], [0, 1]], np.float32), "W")
b = numpy_helper.from_array(np.array([0.5, -4], np.float32), "b")
graph = helper.make_graph(
    [helper.make_node("Gemm", ["x", "W", "b"], ["h"]), helper.make_node("Relu", ["h"], ["y"])], "gemm-relu",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 2])], [w, b])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="medlocal-tests")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
