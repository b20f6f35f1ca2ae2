#!/usr/bin/env python3
"""Held-out tabular sets of the kinds issue 17 names, built from the copies of UCI data that scikit-learn ships
(no download): digits (optdigits kind: 64 columns of 0-16 counts, many almost always zero), wbc (breast-cancer
Wisconsin diagnostic, 30 heavy-tailed measurements) and wine (13 chemistry columns), with ODDS's label rules.
Downsampling with numpy default_rng(42), original order kept; folds as shared/data: stratified 70/30, seeds 0-4."""
import os, sys
import numpy as np
from sklearn import datasets
from sklearn.model_selection import train_test_split

out = sys.argv[1]

def write(name, x, y, cols):
    d = os.path.join(out, name); os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".csv"), "w") as f:
        f.write(",".join(cols + ["label"]) + "\n")
        for row, l in zip(x, y):
            f.write(",".join(("%d" % v) if float(v).is_integer() else repr(float(v)) for v in row) + ",%d\n" % l)
    parts = []
    for s in range(5):
        idx = np.arange(len(y))
        _, te = train_test_split(idx, stratify=y, test_size=0.3, random_state=s)
        p = np.array(["train"] * len(y), dtype=object); p[te] = "test"; parts.append(p)
    with open(os.path.join(d, name + ".folds.csv"), "w") as f:
        f.write("s0,s1,s2,s3,s4\n")
        for i in range(len(y)):
            f.write(",".join(parts[s][i] for s in range(5)) + "\n")

def downsample(x, y, anomaly, keep):
    rng = np.random.default_rng(42)
    a = np.flatnonzero(anomaly)
    chosen = np.sort(rng.choice(a, size=keep, replace=False))
    rows = np.sort(np.concatenate([np.flatnonzero(~anomaly), chosen]))
    return x[rows], anomaly[rows].astype(int)

def drop_constant(x, cols):
    keep = [j for j in range(x.shape[1]) if np.ptp(x[:, j]) > 0]
    return x[:, keep], [cols[j] for j in keep]

dg = datasets.load_digits()
x, y = downsample(dg.data, dg.target, dg.target == 0, 50)
x, cols = drop_constant(x, ["p%d" % j for j in range(64)])
write("digits", x, y, cols)
bc = datasets.load_breast_cancer()
x, y = downsample(bc.data, bc.target, bc.target == 0, 21)   # malignant (target 0) = anomaly, ODDS wbc: 357 + 21
write("wbc", x, y, ["f%d" % j for j in range(x.shape[1])])
wn = datasets.load_wine()
x, y = downsample(wn.data, wn.target, wn.target == 0, 10)    # class 1 downsampled to 10, ODDS wine: 119 + 10
write("wine", x, y, ["f%d" % j for j in range(x.shape[1])])
