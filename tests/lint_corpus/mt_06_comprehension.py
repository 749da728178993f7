# expect: multi-test
# why: a list comprehension fits and scores a list of models
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

candidates = [LogisticRegression(), GaussianNB(), RandomForestClassifier(max_depth=5)]
test_scores = [m.fit(X_train, y_train).score(X_test, y_test) for m in candidates]
winner = candidates[test_scores.index(max(test_scores))]
