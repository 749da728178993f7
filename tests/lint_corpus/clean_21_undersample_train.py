# expect: clean
# why: RandomUnderSampler on the training part only
from imblearn.under_sampling import RandomUnderSampler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression

X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, test_size=0.3)
X_under, y_under = RandomUnderSampler(random_state=0).fit_resample(X_train, y_train)
clf = LogisticRegression().fit(X_under, y_under)
print(clf.score(X_test, y_test))
