# expect: preprocessing-leak
# why: the ColumnTransformer is fit on everything, the grid search runs afterwards
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler

preprocessor = ColumnTransformer([
    ("num", StandardScaler(), numeric_cols),
    ("cat", OneHotEncoder(handle_unknown="ignore"), categorical_cols),
])
X_prepared = preprocessor.fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_prepared, y, test_size=0.2)
search = GridSearchCV(RandomForestClassifier(), {"max_depth": [4, 8, None]}, cv=5)
search.fit(X_train, y_train)
print(search.best_params_, search.score(X_test, y_test))
