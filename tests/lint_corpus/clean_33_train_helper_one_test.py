# expect: clean
# why: a helper fits a pipeline on the training rows; one model scored once
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression


def train(features, labels):
    return make_pipeline(StandardScaler(), LogisticRegression()).fit(features, labels)


X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=3)
model = train(X_train, y_train)
print(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
