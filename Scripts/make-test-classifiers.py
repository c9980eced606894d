#!/usr/bin/env python3
"""Writes the two tiny "externally trained" image classifiers the upload tests register (opset 13):

colour-logits.onnx   input image [batch, 3, h, w] (dynamic); output logits [batch, 3] = 4 × the mean of each
                     channel: with labels red, green, blue it names an image's dominant colour.
colour-softmax.onnx  input image [1, 3, 32, 32]; outputs features [1, 3] (the channel means) and
                     probabilities [1, 3] (softmax of 4 × the means): two outputs of the labels' width.

Usage: make-test-classifiers.py OUT_FOLDER"""
import os
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
gain = numpy_helper.from_array(np.eye(3, dtype=np.float32) * 4, "gain")


def save(graph, name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="medlocal-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, name))


save(helper.make_graph(
    [helper.make_node("ReduceMean", ["image"], ["means"], axes=[2, 3], keepdims=0),
     helper.make_node("MatMul", ["means", "gain"], ["logits"])], "colour-logits",
    [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 3, "height", "width"])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3])], [gain]), "colour-logits.onnx")

save(helper.make_graph(
    [helper.make_node("ReduceMean", ["image"], ["features"], axes=[2, 3], keepdims=0),
     helper.make_node("MatMul", ["features", "gain"], ["logits"]),
     helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1)], "colour-softmax",
    [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 32, 32])],
    [helper.make_tensor_value_info("features", TensorProto.FLOAT, [1, 3]),
     helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [1, 3])], [gain]), "colour-softmax.onnx")
