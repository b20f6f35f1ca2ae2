#!/usr/bin/env python3
"""One-class MNIST baselines, iforest and pca exactly as shared/data/BASELINES.md defines them (the definitions of
shared's baselines.py), under the protocol of its one-class Fashion-MNIST table: for each class k, fit on the
official training images of class k (pixels / 255, no label read), score the 10,000 official test images, anomaly =
any other class; AUROC and AUPRC (average precision) of those scores, fit_seconds = fitting and scoring. One seed
(random_state 0). Writes the columns of fashion_oneclass_baselines.csv: k,seed,method,auroc,auprc,fit_seconds.

A third method, pca_unscaled, is pca without the standardisation (PCA of pixels / 255 as they are): shared's
fashion_oneclass_baselines.csv's pca rows are that, not the standardised pca of BASELINES.md (--data fashion_mnist
reproduces them to the 4 decimals written), so it is the MNIST figure to set beside Fashion-MNIST's "pca".

usage: /usr/bin/python3 vae-bench/heldout/make_mnist_baselines.py [--shared ../shared] [--data mnist]
                                                                  [--out vae-bench/heldout/mnist_oneclass_baselines.csv]
--data fashion_mnist recomputes shared's Fashion-MNIST rows of these two methods, to check this script against them."""
import argparse, gzip, os, time
import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.preprocessing import StandardScaler

LABEL = {"mnist": "digit", "fashion_mnist": "class"}   # the first column of each set's files (shared/data/README.md)
SEED = 0

def load(path, label):
    with gzip.open(path, "rt") as f:
        header = f.readline().rstrip("\n").split(",")
        if header[0] != label or len(header) != 785:
            raise SystemExit(f"{path}: expected '{label}' then 784 pixel columns, got {header[0]} and {len(header) - 1}")
        a = np.loadtxt(f, delimiter=",", dtype=np.float64)
    return a[:, 1:] / 255.0, a[:, 0].astype(int)

def iforest(xtr, xte):
    """scikit-learn IsolationForest, defaults, raw features (here pixels / 255); higher = more anomalous."""
    return -IsolationForest(random_state=SEED).fit(xtr).score_samples(xte)

def pca(xtr, xte):
    """Standardised features (fitted on the training images), components explaining 95% of the variance, score =
    squared reconstruction error."""
    sc = StandardScaler().fit(xtr)
    ztr, zte = sc.transform(xtr), sc.transform(xte)
    p = PCA(n_components=0.95, random_state=SEED).fit(ztr)
    return ((zte - p.inverse_transform(p.transform(zte))) ** 2).sum(1)

def pca_unscaled(xtr, xte):
    """pca on the features as they are (pixels / 255, not standardised): what shared's Fashion-MNIST pca rows hold."""
    p = PCA(n_components=0.95, random_state=SEED).fit(xtr)
    return ((xte - p.inverse_transform(p.transform(xte))) ** 2).sum(1)

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "..", "shared"), help="the folder holding data/")
    ap.add_argument("--data", default="mnist", choices=sorted(LABEL))
    ap.add_argument("--out", default=os.path.join(here, "mnist_oneclass_baselines.csv"))
    a = ap.parse_args()
    d = os.path.join(a.shared, "data", a.data)
    xtr, ytr = load(os.path.join(d, a.data + "_train.csv.gz"), LABEL[a.data])
    xte, yte = load(os.path.join(d, a.data + "_test.csv.gz"), LABEL[a.data])
    rows = ["k,seed,method,auroc,auprc,fit_seconds"]
    for k in range(10):
        anomaly = (yte != k).astype(int)
        for name, fn in (("iforest", iforest), ("pca", pca), ("pca_unscaled", pca_unscaled)):
            t = time.perf_counter(); score = fn(xtr[ytr == k], xte); t = time.perf_counter() - t
            rows.append(f"{k},{SEED},{name},{roc_auc_score(anomaly, score):.4f},"
                        f"{average_precision_score(anomaly, score):.4f},{t:.2f}")
            print(rows[-1], flush=True)
    with open(a.out, "w") as f:
        f.write("\n".join(rows) + "\n")

if __name__ == "__main__":
    main()
