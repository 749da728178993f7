# expect: clean
# why: LabelEncoder on the target before the split (class names are not a leak)
from sklearn.preprocessing import LabelEncoder
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier

le = LabelEncoder()
y_encoded = le.fit_transform(df["species"])
X_train, X_test, y_train, y_test = train_test_split(df[measurements], y_encoded, test_size=0.3)
rf = RandomForestClassifier().fit(X_train, y_train)
print(rf.score(X_test, y_test))
