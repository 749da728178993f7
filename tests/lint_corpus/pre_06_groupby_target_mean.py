# expect: preprocessing-leak
# why: mean-target encoding of a high-cardinality column on all rows
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

tx = pd.read_parquet("transactions.parquet")
tx["merchant_fraud_rate"] = tx.groupby("merchant_id")["is_fraud"].transform("mean")
X = tx[["amount", "merchant_fraud_rate", "hour"]]
y = tx["is_fraud"]
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
print(cross_val_score(GradientBoostingClassifier(), X, y, cv=cv, scoring="roc_auc").mean())
