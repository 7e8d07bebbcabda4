# The worker / scheduler image of an ogi-warehouse Airflow deployment: Airflow 3.3 with the ogi-warehouse
# wheel (which carries dbt_project/ and the Great Expectations suites), dbt beside the interpreter, and the
# DAG file in the DAGs folder. One image for scheduler, dag-processor, api-server and workers.
#
#   docker build -t ogi-warehouse:0.1.0 .
#
# What this image has been checked against: the same wheel and extras installed in a fresh virtualenv run the
# DAG on a standing LocalExecutor (tests/test_standing_scheduler.py) with hand-offs on an S3-compatible
# store (tests/test_runstore.py). README "Running on an Airflow deployment" lists what is not proven yet.

FROM python:3.11-slim-bookworm AS wheel
WORKDIR /src
COPY pyproject.toml README.md ./
COPY extract/ extract/
COPY fetching/ fetching/
COPY warehouse/ warehouse/
COPY expectations/ expectations/
COPY dbt_project/ dbt_project/
RUN pip wheel --no-deps --wheel-dir /dist .

FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    AIRFLOW_HOME=/opt/airflow \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/airflow/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL=1 \
    GX_ANALYTICS_ENABLED=false \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false
RUN useradd --create-home --uid 50000 --home-dir /opt/airflow airflow
COPY --from=wheel /dist/ /tmp/dist/
# s3: the object store; celery, postgres: the executor and metadata database, with the pins that work together.
RUN pip install "$(ls /tmp/dist/ogi_warehouse-*.whl)[s3,celery,postgres]" && rm -rf /tmp/dist
COPY --chown=airflow dags/ /opt/airflow/dags/
USER airflow
WORKDIR /opt/airflow
# dbt runs through its Python API in this interpreter (warehouse/dbt_invoke.py), on the project inside the wheel.
RUN python -c "import dbt.cli.main, warehouse.dbt_invoke" \
 && python -c "from warehouse.resources import dbt_project_dir; print(dbt_project_dir())"
CMD ["airflow", "version"]
