"""`spacy train` takes stet's DocBin as it is: a blank English pipeline with `ner` and
`spancat` (spaCy's own `init config`, CPU, efficiency) trains on it as both train and dev
for one epoch (at most 8 steps), and the trained pipeline loads with the labels it learned.

Usage: check_spacy_train.py DATA.spacy WORKDIR [KEY]
"""

import sys
from pathlib import Path

import spacy
from spacy.cli.init_config import init_config
from spacy.cli.train import train

data = Path(sys.argv[1])
work = Path(sys.argv[2])
key = sys.argv[3] if len(sys.argv) > 3 else "sc"
config = init_config(lang="en", pipeline=["ner", "spancat"], optimize="efficiency", gpu=False)
config_path = work / "config.cfg"
config.to_disk(config_path)
output = work / "model"
train(
    config_path,
    output,
    overrides={
        "paths.train": str(data),
        "paths.dev": str(data),
        "components.spancat.spans_key": key,
        "training.max_epochs": 1,
        "training.max_steps": 8,
        "training.eval_frequency": 4,
        "training.seed": 0,
    },
)
nlp = spacy.load(output / "model-last")
labels = sorted(nlp.get_pipe("ner").labels)
assert labels, "ner learned no labels"
assert sorted(nlp.get_pipe("spancat").labels), "spancat learned no labels"
doc = nlp("Kremlin spokesman Dmitry Peskov said on Saturday.")
print(f"ok: spaCy {spacy.__version__} trained {nlp.pipe_names} for one epoch; ner labels {labels}")
