# expect: clean
# why: a lesson's leaky demo in a cell tagged leaky-demo: expected, not counted
# %%
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression

# %% tags=["leaky-demo"]
# LEAKY DEMO: scaled before the split, for comparison only
X_leaky = StandardScaler().fit_transform(X)
leaky_scores = cross_val_score(LogisticRegression(), X_leaky, y, cv=5)

# %%
honest_scores = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), X, y, cv=5)
