# expect: clean
# why: the same model scored over ten random splits (a new test set each time)
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

scores = []
for seed in range(10):
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=seed)
    model = LogisticRegression(max_iter=1000).fit(X_train, y_train)
    scores.append(model.score(X_test, y_test))
print(np.mean(scores), np.std(scores))
