# expect: multi-test
# why: one estimator re-configured with set_params and re-scored on the test set
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

rf = RandomForestRegressor(random_state=0)
for n_estimators in [50, 100, 200, 400]:
    rf.set_params(n_estimators=n_estimators)
    rf.fit(X_train, y_train)
    print(n_estimators, mean_absolute_error(y_test, rf.predict(X_test)))
