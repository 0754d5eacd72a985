#!/usr/bin/env python3
"""Prints the pinned kernel values of ReferenceValueTests.cs.

A line-by-line transcription of the Oxford VGG scripts makeLMfilters.m, makeSfilters.m and makeRFSfilters.m, and
of MATLAB's fspecial('gaussian') and fspecial('log'), in double precision with numpy. It keeps MATLAB's
column-major meshgrid, (:) and reshape, so F(row, col) is the filter at x = col - hsup, y = hsup - row. It shares
nothing with the C# bank code it checks.

Values are printed as the float32 the service stores, to nine significant digits. An entry below 1e-12 in
magnitude is not a figure but rounding (a derivative filter's mean is zero in exact arithmetic and its
normalisation leaves a constant of about 1e-21 that depends on the order of summation), so it is printed as 0,
which the test reads as "negligible".

Run: python3 tests/Inference.Tests/FilterBanks/filterbank_reference.py (needs numpy).
"""
import math

import numpy as np

SUP = 49
HSUP = (SUP - 1) // 2
EPS = np.finfo(float).eps
POINTS = [(24, 24), (20, 27), (30, 18), (10, 40), (24, 30), (0, 0)]
CHECKED = {
    "lm": [0, 1, 4, 9, 19, 23, 35, 36, 37, 38, 47],
    "s": [0, 5, 12],
    "mr8": [0, 2, 3, 13, 18, 20, 33, 36, 37],
}


def meshgrid(xs, ys):
    # MATLAB's [x, y] = meshgrid(xs, ys): rows follow ys, columns follow xs.
    return np.meshgrid(np.asarray(xs, float), np.asarray(ys, float))


def colon(a):
    # MATLAB's a(:), column-major.
    return a.flatten(order="F")


def normalise(f):
    f = f - colon(f).sum() / f.size
    return f / np.abs(colon(f)).sum()


def gauss1d(sigma, mean, x, order):
    x = x - mean
    num = x * x
    variance = sigma ** 2
    denom = 2 * variance
    g = np.exp(-num / denom) / (math.pi * denom) ** 0.5
    if order == 1:
        g = -g * (x / variance)
    elif order == 2:
        g = g * ((num - variance) / (variance ** 2))
    return g


def makefilter(scale, phasex, phasey, pts, sup):
    gx = gauss1d(3 * scale, 0, pts[0, :], phasex)
    gy = gauss1d(scale, 0, pts[1, :], phasey)
    return normalise(np.reshape(gx * gy, (sup, sup), order="F"))


def fspecial_gaussian(size, std):
    siz = (size - 1) / 2
    x, y = meshgrid(np.arange(-siz, siz + 1), np.arange(-siz, siz + 1))
    h = np.exp(-(x * x + y * y) / (2 * std * std))
    h[h < EPS * h.max()] = 0
    s = colon(h).sum()
    return h / s if s != 0 else h


def fspecial_log(size, std):
    siz = (size - 1) / 2
    x, y = meshgrid(np.arange(-siz, siz + 1), np.arange(-siz, siz + 1))
    std2 = std ** 2
    h = np.exp(-(x * x + y * y) / (2 * std2))
    h[h < EPS * h.max()] = 0
    s = colon(h).sum()
    if s != 0:
        h = h / s
    h1 = h * (x * x + y * y - 2 * std2) / (std2 ** 2)
    return h1 - colon(h1).sum() / (size * size)


def oriented_bank(scalex, norient=6):
    nedge = len(scalex) * norient
    x, y = meshgrid(np.arange(-HSUP, HSUP + 1), np.arange(HSUP, -HSUP - 1, -1))
    orgpts = np.vstack([colon(x), colon(y)])
    filters = [None] * (2 * nedge)
    count = 0
    for scale in scalex:
        for orient in range(norient):
            angle = math.pi * orient / norient
            c, s = math.cos(angle), math.sin(angle)
            rotpts = np.array([[c, -s], [s, c]]) @ orgpts
            filters[count] = makefilter(scale, 0, 1, rotpts, SUP)
            filters[count + nedge] = makefilter(scale, 0, 2, rotpts, SUP)
            count += 1
    return filters


def make_lm_filters():
    filters = oriented_bank([math.sqrt(2) ** i for i in (1, 2, 3)])
    for scale in [math.sqrt(2) ** i for i in (1, 2, 3, 4)]:
        filters.append(normalise(fspecial_gaussian(SUP, scale)))
        filters.append(normalise(fspecial_log(SUP, scale)))
        filters.append(normalise(fspecial_log(SUP, 3 * scale)))
    return filters


def make_s_filters():
    def makefilter_s(sup, sigma, tau):
        hsup = (sup - 1) / 2
        x, y = meshgrid(np.arange(-hsup, hsup + 1), np.arange(-hsup, hsup + 1))
        r = (x * x + y * y) ** 0.5
        f = np.cos(r * (math.pi * tau / sigma)) * np.exp(-(r * r) / (2 * sigma * sigma))
        f = f - colon(f).sum() / f.size
        return f / np.abs(colon(f)).sum()

    pairs = [(2, 1), (4, 1), (4, 2), (6, 1), (6, 2), (6, 3), (8, 1), (8, 2), (8, 3), (10, 1), (10, 2), (10, 3), (10, 4)]
    return [makefilter_s(SUP, sigma, tau) for sigma, tau in pairs]


def make_rfs_filters():
    filters = oriented_bank([1, 2, 4])
    filters.append(normalise(fspecial_gaussian(SUP, 10)))
    filters.append(normalise(fspecial_log(SUP, 10)))
    return filters


def pinned(value):
    stored = float(np.float32(value))
    return "0f" if abs(stored) < 1e-12 else f"{stored:.9g}f"


def main():
    banks = {"lm": make_lm_filters(), "s": make_s_filters(), "mr8": make_rfs_filters()}
    assert [len(banks[b]) for b in ("lm", "s", "mr8")] == [48, 13, 38]
    for bank, indices in CHECKED.items():
        for index in indices:
            kernel = banks[bank][index]
            values = ", ".join(pinned(kernel[row, col]) for row, col in POINTS)
            print(f'        {{ "{bank}", {index}, new[] {{ {values} }} }},')


if __name__ == "__main__":
    main()
