# expect: clean
# why: TargetEncoder inside the pipeline (it cross-fits)
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler, TargetEncoder

encode = ColumnTransformer([
    ("merchant", TargetEncoder(), ["merchant_id"]),
    ("numbers", StandardScaler(), ["amount", "hour"]),
])
pipeline = Pipeline([("encode", encode), ("model", LogisticRegression())])
print(cross_val_score(pipeline, transactions, transactions_y, cv=5, scoring="roc_auc").mean())
