"""Hashed-feature linear models shipped as small numpy files: the shared machinery of the news
scorer (:mod:`utils.sentiment.news`) and of the tone toward a person
(:mod:`utils.sentiment.targets`).

Why hashing and a linear model: both models must run on one CPU core at thousands of items per
second, load with numpy alone (no model downloaded at run time, no machine-learning library
needed to score) and ship in the repository without any of the training sentences. A feature is
a string (``"w:plunge"``, ``"r:rescued"``, ``"vader_compound"``) with a value; its index is the
CRC-32 of the string modulo :data:`N_FEATURES` (deterministic across processes and platforms,
unlike Python's ``hash``). The model file holds only the weight matrix, the bias and a JSON
header, so no vocabulary string of the training data is stored.

A model file is a ``.npz`` written with fixed zip timestamps (:func:`save_model`), so that the
same training run gives the same bytes; its sha256 is listed in ``models/SHA256SUMS`` and
checked at load (:func:`load_model`), with an error naming the rebuild script when the file is
missing or differs.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from utils.sentiment.scoring import SentimentError

#: Size of the hashed feature space (a power of two).
N_FEATURES = 1 << 18
#: Folder of the shipped model files and their checksums.
MODELS_DIR = Path(__file__).parent / "models"
#: ``sha256  file`` lines of the shipped models (written by the rebuild script).
CHECKSUMS = MODELS_DIR / "SHA256SUMS"
#: The script that rebuilds every model file from NewsMTSC train.
REBUILD_COMMAND = "python scripts/train_sentiment_models.py"
#: Class order of every model: index 0 negative, 1 neutral, 2 positive.
CLASSES = ("negative", "neutral", "positive")

_MASK = N_FEATURES - 1


@functools.lru_cache(maxsize=1 << 20)
def feature_index(name: str) -> int:
    """Index of a feature name in the hashed space (CRC-32, deterministic)."""
    return zlib.crc32(name.encode("utf-8")) & _MASK


Features = list[tuple[str, float]]


def hash_features(rows: Iterable[Features]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flatten feature lists into ``(indices, values, offsets)``: the features of row ``k``
    are ``indices[offsets[k]:offsets[k + 1]]`` (duplicate indices add up)."""
    rows = list(rows)
    index = feature_index
    indices = [index(name) for row in rows for name, _value in row]
    values = [value for row in rows for _name, value in row]
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(row) for row in rows], out=offsets[1:])
    return (np.asarray(indices, dtype=np.int64), np.asarray(values, dtype=np.float64), offsets)


@dataclass
class LinearModel:
    """A multinomial logistic model over hashed features: ``weights`` (N_FEATURES, 3), ``bias``
    (3,) and a JSON-able ``header`` (settings, training summary)."""

    weights: np.ndarray
    bias: np.ndarray
    header: dict = field(default_factory=dict)

    def logits(self, rows: Sequence[Features]) -> np.ndarray:
        n = len(rows)
        out = np.tile(self.bias.astype(np.float64), (n, 1))
        if not n:
            return out
        indices, values, offsets = hash_features(rows)
        if len(indices):
            contributions = self.weights[indices].astype(np.float64) * values[:, None]
            row_of = np.repeat(np.arange(n), np.diff(offsets))
            for k in range(out.shape[1]):
                out[:, k] += np.bincount(row_of, weights=contributions[:, k], minlength=n)
        return out

    def probabilities(self, rows: Sequence[Features]) -> np.ndarray:
        """Class probabilities (negative, neutral, positive), one row per feature list."""
        logits = self.logits(rows)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def model_bytes(model: LinearModel) -> bytes:
    """The ``.npz`` bytes of a model: same model, same bytes (fixed zip timestamps, sorted
    header keys, float32 weights)."""
    header = json.dumps(model.header, sort_keys=True).encode("utf-8")
    arrays = {
        "weights": np.asarray(model.weights, dtype=np.float32),
        "bias": np.asarray(model.bias, dtype=np.float32),
        "header": np.frombuffer(header, dtype=np.uint8),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, _npy_bytes(array), compresslevel=9)
    return buffer.getvalue()


def save_model(model: LinearModel, path: Path) -> str:
    """Write a model file; returns its sha256."""
    data = model_bytes(model)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def read_checksums(checksums: Path = CHECKSUMS) -> dict[str, str]:
    """``{file name: sha256}`` from a ``sha256sum``-style file (empty when absent)."""
    checksums = Path(checksums)
    if not checksums.exists():
        return {}
    out = {}
    for line in checksums.read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            out[name.strip().lstrip("*")] = digest
    return out


def write_checksums(digests: dict[str, str], checksums: Path = CHECKSUMS) -> None:
    lines = [f"{digests[name]}  {name}\n" for name in sorted(digests)]
    Path(checksums).write_text("".join(lines))


def load_model(path: Path, *, checksums: Path | None = None) -> LinearModel:
    """Read a model file after checking its sha256 against ``checksums`` (default: the
    ``SHA256SUMS`` beside it). Missing file, missing checksum or a different sha256 raise
    :class:`SentimentError` naming the rebuild command."""
    path = Path(path)
    checksums = path.parent / "SHA256SUMS" if checksums is None else Path(checksums)
    if not path.exists():
        raise SentimentError(
            f"Sentiment model file {path.name} is missing (expected in {path.parent.name}/); "
            f"rebuild it with `{REBUILD_COMMAND}` (needs NewsMTSC train in ../shared/corpora)."
        )
    data = path.read_bytes()
    expected = read_checksums(checksums).get(path.name)
    actual = hashlib.sha256(data).hexdigest()
    if expected is None:
        raise SentimentError(
            f"No sha256 listed for sentiment model {path.name} in {checksums.name}; rebuild the "
            f"models with `{REBUILD_COMMAND}`."
        )
    if actual != expected:
        raise SentimentError(
            f"Sentiment model {path.name} has sha256 {actual[:12]}..., not the expected "
            f"{expected[:12]}... listed in {checksums.name}: the file is damaged or stale. "
            f"Rebuild it with `{REBUILD_COMMAND}`."
        )
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        weights = archive["weights"]
        bias = archive["bias"]
        header = json.loads(archive["header"].tobytes().decode("utf-8"))
    if weights.shape != (N_FEATURES, len(CLASSES)) or bias.shape != (len(CLASSES),):
        raise SentimentError(
            f"Sentiment model {path.name} has weights of shape {weights.shape}; rebuild it with "
            f"`{REBUILD_COMMAND}`."
        )
    return LinearModel(weights=weights, bias=bias, header=header)


def fit_linear(
    rows: Sequence[Features],
    labels: Sequence[int],
    *,
    c: float = 1.0,
    class_weight: str | None = None,
    max_iter: int = 1000,
    tol: float = 1e-4,
    header: dict | None = None,
) -> LinearModel:
    """Fit an L2-regularised multinomial logistic regression (scikit-learn, lbfgs; needed for
    training only) on hashed features; labels 0 negative, 1 neutral, 2 positive."""
    try:
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits
    except ImportError as error:  # pragma: no cover - the pinned environment has both
        raise SentimentError("Training the sentiment models needs scikit-learn "
                             "(pip install -e .).") from error
    y = np.asarray(labels, dtype=np.int64)
    if len(rows) != len(y) or not len(y):
        raise SentimentError("fit_linear needs one label per feature list (and at least one).")
    if set(np.unique(y)) != {0, 1, 2}:
        raise SentimentError("fit_linear needs examples of all three classes (0, 1, 2).")
    indices, values, offsets = hash_features(rows)
    row_of = np.repeat(np.arange(len(rows)), np.diff(offsets))
    # fit on the columns that occur only (an unseen feature keeps weight 0 under L2)
    used, columns = np.unique(indices, return_inverse=True)
    matrix = sparse.csr_matrix((values, (row_of, columns)), shape=(len(rows), len(used)))
    matrix.sum_duplicates()
    classifier = LogisticRegression(C=c, class_weight=class_weight, max_iter=max_iter,
                                    solver="lbfgs", tol=tol)
    # one BLAS thread: several threads only slow lbfgs down on these small problems (and one
    # thread keeps the sums in a fixed order)
    with threadpool_limits(limits=1):
        classifier.fit(matrix, y)
    weights = np.zeros((N_FEATURES, len(CLASSES)), dtype=np.float32)
    weights[used] = classifier.coef_.T
    bias = np.asarray(classifier.intercept_, dtype=np.float32)
    return LinearModel(weights=weights, bias=bias, header=dict(header or {}))
