# expect: multi-test
# why: feature subsets compared on the test set
from itertools import combinations
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split

train_df, test_df = train_test_split(df, test_size=0.25, random_state=2)
scores = {}
for subset in combinations(candidate_features, 3):
    cols = list(subset)
    reg = LinearRegression().fit(train_df[cols], train_df["y"])
    scores[subset] = r2_score(test_df["y"], reg.predict(test_df[cols]))
print(max(scores.items(), key=lambda kv: kv[1]))
