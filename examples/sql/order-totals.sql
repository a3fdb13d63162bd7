-- Order totals per minute, from Kafka to stdout.
SET 'pipeline.name' = 'order-totals';

CREATE TABLE orders (
  id BIGINT,
  amount DOUBLE,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = 'kafka.kafka.svc:9092',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json'
);

CREATE TABLE totals (window_end TIMESTAMP(3), total DOUBLE) WITH ('connector' = 'print');
CREATE TABLE audit (window_end TIMESTAMP(3), orders BIGINT) WITH ('connector' = 'blackhole');

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO totals
    SELECT window_end, SUM(amount)
    FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
    GROUP BY window_start, window_end;
  INSERT INTO audit
    SELECT window_end, COUNT(*)
    FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
    GROUP BY window_start, window_end;
END;
