"""Face-mood network: MobileNetV2 (torchvision layout) on a 48x48 grey face, output P(happy).

The graph takes the grey face crop already resized to S x S by cv2.resize (see data.py and
the model card), as float32 values 0..255, shape [N,1,S,S], and does:
  1. grey -> 3 channels with ImageNet mean/std normalisation, as one 1x1 convolution
     (weight 1/(255*std_c), bias -mean_c/std_c), so the first 3x3 convolution's zero padding
     sees exactly what it saw in training,
  2. MobileNetV2 features, global average pool, linear layer -> one logit (happy vs sad),
  3. logit / T (temperature from calibration) -> sigmoid -> P(happy), shape [N,1].
"""
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


class FaceMoodNet(nn.Module):
    def __init__(self, size=112, dropout=0.2):
        super().__init__()
        self.size = size
        self.norm = nn.Conv2d(1, 3, 1, bias=True)
        with torch.no_grad():
            self.norm.weight.copy_(torch.tensor([1.0 / (255.0 * s) for s in IMAGENET_STD]).view(3, 1, 1, 1))
            self.norm.bias.copy_(torch.tensor([-m / s for m, s in zip(IMAGENET_MEAN, IMAGENET_STD)]))
        self.norm.weight.requires_grad_(False)
        self.norm.bias.requires_grad_(False)
        self.backbone = MobileNetV2Features()
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.backbone.last_channel, 1)

    def load_imagenet(self, path):
        sd = torch.load(path, map_location="cpu", weights_only=True)
        sd = {k: v for k, v in sd.items() if k.startswith("features.")}
        self.backbone.load_state_dict(sd, strict=True)

    def logit(self, x):
        """x: [N,1,S,S] float 0..255 -> raw logit (happy vs sad), shape [N,1]."""
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
