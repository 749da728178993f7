# expect: clean
# why: SMOTE applied to the training part only
from imblearn.over_sampling import SMOTE
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
X_train_res, y_train_res = SMOTE(random_state=0).fit_resample(X_train, y_train)
clf = RandomForestClassifier().fit(X_train_res, y_train_res)
print(clf.score(X_test, y_test))
