#!/usr/bin/python3
"""Writes scikit-image's lfw_subset (100 faces, then 100 non-faces, 25x25 gray) as PNGs in face/ and not-face/.

The measurements in docs/classifiers.md read these folders; the service and its tests never need them.
Needs Debian's python3-skimage (apt-get install -y python3-skimage).

    /usr/bin/python3 tools/classifiers/lfw_to_png.py /tmp/lfw
"""
import os
import sys

import numpy as np
from skimage.io import imsave

SOURCE = "/usr/lib/python3/dist-packages/skimage/data/lfw_subset.npy"


def main(target):
    images = np.load(SOURCE)
    if images.shape != (200, 25, 25):
        sys.exit(f"{SOURCE} has shape {images.shape}, not (200, 25, 25)")
    for index, image in enumerate(images):
        label = "face" if index < 100 else "not-face"
        folder = os.path.join(target, label)
        os.makedirs(folder, exist_ok=True)
        pixels = np.clip(np.round(image * 255), 0, 255).astype(np.uint8)
        imsave(os.path.join(folder, f"{index:03d}.png"), pixels, check_contrast=False)
    print(f"wrote 200 PNGs under {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "lfw")
