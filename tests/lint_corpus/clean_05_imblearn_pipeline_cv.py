# expect: clean
# why: SMOTE inside an imblearn Pipeline, cross-validated
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

pipe = Pipeline([("scale", StandardScaler()), ("smote", SMOTE()), ("svc", SVC())])
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=1)
print(cross_val_score(pipe, X, y, cv=cv, scoring="average_precision").mean())
