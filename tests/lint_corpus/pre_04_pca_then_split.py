# expect: preprocessing-leak
# why: PCA on the full data before the split
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

digits = load_digits()
X_pca = PCA(n_components=30).fit_transform(digits.data)
Xtr, Xte, ytr, yte = train_test_split(X_pca, digits.target, stratify=digits.target)
svc = SVC(gamma="scale").fit(Xtr, ytr)
print(svc.score(Xte, yte))
