# expect: overlap-leak
# why: SMOTE on the whole data set, then train_test_split
from imblearn.over_sampling import SMOTE
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split

sm = SMOTE(random_state=42)
X_res, y_res = sm.fit_resample(X, y)
X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, test_size=0.3, random_state=42)
forest = RandomForestClassifier(n_estimators=100).fit(X_train, y_train)
print(classification_report(y_test, forest.predict(X_test)))
