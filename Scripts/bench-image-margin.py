#!/usr/bin/env python3
"""How far a medlocal image classifier beats logistic regression on the raw 28 x 28 grey pixels.

For each of SPLITS stratified 80/20 splits of a folder-per-class dataset: `medlocal models train` on the 80 %,
`medlocal models evaluate --json` on the 20 %, and scikit-learn's LogisticRegression (defaults, max_iter 2000) on the
same images' 28 x 28 grey pixels / 255 (Pillow, bilinear), trained and scored on the same split. Prints each split
and the mean and smallest margin. Benchmark only: the product itself never runs Python.

usage: bench-image-margin.py MEDLOCAL DATASET_FOLDER WORK_FOLDER [SPLITS]
"""
import json, os, shutil, subprocess, sys, warnings

import numpy as np
from PIL import Image
from sklearn.linear_model import LogisticRegression

warnings.filterwarnings("ignore")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")


def labelled_files(root):
    classes = sorted(c for c in os.listdir(root) if os.path.isdir(os.path.join(root, c)))
    files, labels = [], []
    for label, name in enumerate(classes):
        for f in sorted(os.listdir(os.path.join(root, name))):
            if f.lower().endswith(IMAGE_SUFFIXES):
                files.append(os.path.join(root, name, f))
                labels.append(label)
    return files, np.array(labels)


def grey_pixels(path):
    with Image.open(path) as image:
        return np.asarray(image.convert("L").resize((28, 28), Image.BILINEAR), dtype=np.float64).ravel() / 255


def stratified_split(labels, seed, fraction=0.2):
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(labels):
        members = np.where(labels == label)[0]
        rng.shuffle(members)
        held = int(round(len(members) * fraction))
        test += list(members[:held])
        train += list(members[held:])
    return np.array(sorted(train)), np.array(sorted(test))


def linked_folder(folder, files, indices):
    shutil.rmtree(folder, ignore_errors=True)
    for i in indices:
        target = os.path.join(folder, os.path.basename(os.path.dirname(files[i])))
        os.makedirs(target, exist_ok=True)
        os.symlink(os.path.abspath(files[i]), os.path.join(target, os.path.basename(files[i])))
    return folder


def main():
    medlocal, root, work = sys.argv[1:4]
    splits = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    files, labels = labelled_files(root)
    pixels = np.array([grey_pixels(f) for f in files])
    data = os.path.join(work, "var")
    margins, ours, baseline, aucs = [], [], [], []
    for split in range(splits):
        train, test = stratified_split(labels, 100 + split)
        name = f"split{split}"
        subprocess.run([medlocal, "models", "train", linked_folder(os.path.join(work, "train"), files, train),
                        "--name", name, "--data-dir", data], check=True, capture_output=True)
        scored = json.loads(subprocess.run([medlocal, "models", "evaluate", name, linked_folder(os.path.join(work, "test"), files, test),
                                            "--json", "--data-dir", data], check=True, capture_output=True, text=True).stdout)
        lr = LogisticRegression(max_iter=2000).fit(pixels[train], labels[train]).score(pixels[test], labels[test])
        ours.append(scored["accuracy"]); baseline.append(lr); aucs.append(scored["auc"]); margins.append(scored["accuracy"] - lr)
        print(f"  split {split:2d}: medlocal {scored['accuracy']:.4f} (AUC {scored['auc']:.4f})  pixel LR {lr:.4f}  "
              f"margin {100 * margins[-1]:+.2f} pts", flush=True)
    print(f"{os.path.basename(os.path.normpath(root))}: {splits} splits, medlocal accuracy {np.mean(ours):.4f} (AUC {np.mean(aucs):.4f}), "
          f"pixel LR {np.mean(baseline):.4f}; margin mean {100 * np.mean(margins):+.2f} pts, smallest {100 * np.min(margins):+.2f}")


if __name__ == "__main__":
    main()
