# expect: clean
# why: TimeSeriesSplit with a pipeline
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge

ordered = frame.sort_values("date")
pipe = make_pipeline(StandardScaler(), Ridge(alpha=1.0))
scores = cross_val_score(pipe, ordered[feature_cols], ordered["demand"], cv=TimeSeriesSplit(n_splits=5))
print(scores)
