# expect: multi-test
# why: a hand-written grid over C, judged by test ROC AUC
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

best_auc, best_params = 0.0, None
for C in [0.001, 0.01, 0.1, 1, 10, 100]:
    for penalty in ["l1", "l2"]:
        clf = LogisticRegression(C=C, penalty=penalty, solver="liblinear")
        clf.fit(X_train, y_train)
        auc = roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])
        if auc > best_auc:
            best_auc, best_params = auc, (C, penalty)
print(best_params, best_auc)
