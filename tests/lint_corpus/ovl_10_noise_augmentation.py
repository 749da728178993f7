# expect: overlap-leak
# why: jittered copies of every row stacked onto the data before the split
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

noise = np.random.normal(0, 0.01, X.shape)
X_aug = np.vstack([X, X + noise])
y_aug = np.concatenate([y, y])
X_train, X_test, y_train, y_test = train_test_split(X_aug, y_aug, test_size=0.2)
mlp = MLPClassifier(max_iter=300).fit(X_train, y_train)
print(mlp.score(X_test, y_test))
