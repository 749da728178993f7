# The forge-lessons course environment in a container.
#
# Every Python package and version comes from requirements-lock.txt, the same lock that
# `make course` builds .venv from; tests/test_dockerfile.py checks that nothing here pins a
# package differently (or installs one the lock does not pin).
#
#   docker build -t forge-lessons .
#   docker run --rm -v "$PWD/build:/course/build" forge-lessons        # runs every lesson into build/
#   docker run --rm -it -p 8888:8888 forge-lessons \
#       jupyter lab --ip=0.0.0.0 --no-browser --notebook-dir=notebooks  # the course in JupyterLab
#
# The tag below follows Python 3.11 patch releases and Debian updates. For a byte-identical
# image, replace it by the digest your build resolved (docker images --digests), e.g.
# FROM python:3.11-slim@sha256:<digest>.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /course

# The dependencies first: editing a lesson does not invalidate this layer.
COPY requirements-lock.txt ./
RUN python -m pip install -r requirements-lock.txt

# Then the course itself; the package is installed without dependencies (the lock provides them)
# and without build isolation (as `make course` does: the image's setuptools builds it).
COPY . .
RUN python -m pip install --no-deps --no-build-isolation -e . \
    && useradd --create-home --uid 1000 learner \
    && chown -R learner /course
USER learner

CMD ["python", "-m", "forge_lessons", "run", "--profile", "full", "--jobs", "2"]
