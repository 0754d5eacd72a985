#!/usr/bin/env python3
"""Times cv2.filter2D on one thread, for comparison with FilterBenchmarks (same 3840x2160 RGB size).

Prints image megapixels per second (a pixel counts once for all three channels), best of --repeats runs,
for 8-bit and float32 RGB with general (non-separable) 3x3 and 5x5 kernels, BORDER_REFLECT_101 as in
FilterSettings' default. OpenCV stores RGB interleaved; ConvService's FloatImage is planar.

Usage: /usr/bin/python3 bench/Filters/opencv_filter2d.py [--repeats N]
Needs python3-opencv (Debian: apt-get install -y python3-opencv).
"""
import argparse
import time

import cv2
import numpy as np

WIDTH, HEIGHT = 3840, 2160


def best_seconds(image, kernel, repeats):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_REFLECT_101)
        best = min(best, time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=10, help="runs per case; the fastest is reported")
    args = parser.parse_args()

    cv2.setNumThreads(1)
    rng = np.random.default_rng(42)
    images = {
        "uint8": rng.integers(0, 256, size=(HEIGHT, WIDTH, 3), dtype=np.uint8),
        "float32": (rng.random((HEIGHT, WIDTH, 3), dtype=np.float32) * 255).astype(np.float32),
    }
    megapixels = WIDTH * HEIGHT / 1e6
    print(f"OpenCV {cv2.__version__}, threads {cv2.getNumThreads()}, {WIDTH}x{HEIGHT} RGB, best of {args.repeats}")
    print(f"{'type':<8} {'kernel':<7} {'ms':>9} {'MP/s':>9}")
    for dtype, image in images.items():
        for size in (3, 5):
            # Random weights, so OpenCV cannot take a separable or box shortcut.
            kernel = rng.uniform(-1, 1, size=(size, size)).astype(np.float32)
            seconds = best_seconds(image, kernel, args.repeats)
            print(f"{dtype:<8} {size}x{size:<5} {seconds * 1e3:9.2f} {megapixels / seconds:9.1f}")


if __name__ == "__main__":
    main()
