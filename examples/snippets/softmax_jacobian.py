# Softmax 的雅可比矩阵：解析式 (diag(p) - p pᵀ)/τ 与中心差分对照。需要 numpy。
import numpy as np


def softmax(x, tau=1.0):
    z = np.exp((x - x.max()) / tau)  # 先减去最大值，避免上溢
    return z / z.sum()


def jacobian(x, tau=1.0):
    p = softmax(x, tau)
    return (np.diag(p) - np.outer(p, p)) / tau


x = np.array([3.0, 2.0, 1.0, 4.0])
eps = 1e-6
numeric = np.stack([(softmax(x + eps * e) - softmax(x - eps * e)) / (2 * eps) for e in np.eye(len(x))], axis=1)
print(np.round(softmax(x), 6))
print(bool(np.allclose(jacobian(x), numeric, atol=1e-8)), bool(np.allclose(jacobian(x).sum(axis=0), 0)))
