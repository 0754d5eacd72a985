#!/usr/bin/env python3
"""Times OpenCV's version of a filter response on one thread, for comparison with ImageResponseBenchmarks.

Reads the 1920x1080 PNG that ImageResponseBenchmarks' setup writes, then times imdecode + filter2D (sobel-x,
BORDER_REFLECT_101, 8-bit output saturating as the service's clamp does) + imencode, with PNG at zlib level 1 and
with JPEG at quality 90 (the service's default), and each step alone. Prints the median and the best of --repeats
runs in milliseconds, and the PNG size.

Usage: /usr/bin/python3 bench/Images/opencv_image_response.py [PATH] [--repeats N]
Needs python3-opencv (Debian: apt-get install -y python3-opencv).
"""
import argparse
import os
import statistics
import tempfile
import time

import cv2
import numpy as np

SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float32)


def timed(step, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", default=os.path.join(tempfile.gettempdir(), "convservice-coffee-1920x1080.png"))
    parser.add_argument("--repeats", type=int, default=20, help="runs per case")
    args = parser.parse_args()

    cv2.setNumThreads(1)
    data = np.frombuffer(open(args.path, "rb").read(), dtype=np.uint8)
    png1 = [cv2.IMWRITE_PNG_COMPRESSION, 1]
    jpeg90 = [cv2.IMWRITE_JPEG_QUALITY, 90]

    def filtered():
        image = cv2.imdecode(data, cv2.IMREAD_COLOR)
        return cv2.filter2D(image, -1, SOBEL_X, borderType=cv2.BORDER_REFLECT_101)

    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR)
    result = filtered()
    cases = {
        "png in, png out (level 1)": lambda: cv2.imencode(".png", filtered(), png1),
        "png in, jpeg out (q 90)": lambda: cv2.imencode(".jpg", filtered(), jpeg90),
        "imdecode": lambda: cv2.imdecode(data, cv2.IMREAD_COLOR),
        "filter2D": lambda: cv2.filter2D(decoded, -1, SOBEL_X, borderType=cv2.BORDER_REFLECT_101),
        "imencode png level 1": lambda: cv2.imencode(".png", result, png1),
        "imencode jpeg q 90": lambda: cv2.imencode(".jpg", result, jpeg90),
    }
    h, w = decoded.shape[:2]
    print(f"OpenCV {cv2.__version__}, threads {cv2.getNumThreads()}, {w}x{h} RGB sobel-x, {args.repeats} runs")
    print(f"{'case':<28} {'median ms':>10} {'best ms':>9}")
    for name, step in cases.items():
        median, best = timed(step, args.repeats)
        print(f"{name:<28} {median:10.1f} {best:9.1f}")
    print(f"png level 1 size: {len(cv2.imencode('.png', result, png1)[1])} bytes")


if __name__ == "__main__":
    main()
