# expect: clean
# why: a helper that fits the preprocessing on its training argument only
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def fit_and_score(train_features, test_features, train_labels, test_labels):
    imputer = SimpleImputer(strategy="mean").fit(train_features)
    model = LogisticRegression().fit(imputer.transform(train_features), train_labels)
    return model.score(imputer.transform(test_features), test_labels)


X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
print(fit_and_score(X_train, X_test, y_train, y_test))
