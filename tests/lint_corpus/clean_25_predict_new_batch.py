# expect: clean
# why: a fitted pipeline scores a new production batch once
import pandas as pd
import joblib

pipeline = joblib.load("model.joblib")
batch = pd.read_csv("batch_2026_03.csv")
batch["score"] = pipeline.predict_proba(batch[feature_cols])[:, 1]
batch.to_csv("scored.csv", index=False)
