# expect: overlap-leak
# why: drop_duplicates() called but its result thrown away
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

logs = pd.read_csv("sessions.csv")
print(logs.duplicated().sum(), "duplicates")
logs.drop_duplicates()
X_train, X_test, y_train, y_test = train_test_split(logs[feature_cols], logs["bot"], test_size=0.2)
rfc = RandomForestClassifier().fit(X_train, y_train)
print(rfc.score(X_test, y_test))
