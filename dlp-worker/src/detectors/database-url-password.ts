import { urlPasswordDetector } from './url-password.ts';

export const databaseUrlPassword = urlPasswordDetector({
  id: 'database_url_password',
  description: 'The password in a database URL (postgres, mysql, mongodb, redis, mssql, oracle, clickhouse, cockroachdb and their variants).',
  schemes: ['postgres(?:ql)?', 'mysql', 'mariadb', 'mongodb(?:\\+srv)?', 'rediss?', 'mssql', 'sqlserver', 'oracle', 'clickhouse', 'cockroachdb', 'jdbc:[a-z]+'],
  positives: ['DATABASE_URL=postgres://app:Zx8Lm2Qp9Rt@db.internal:5432/orders', 'mongodb+srv://admin:h7Gk2LmQ9x@cluster0.mongodb.net/test', 'redis://:S3cr3tK3y9x@cache:6379/0'],
  negatives: [
    { text: 'postgres://app:password@localhost:5432/app', reason: 'the literal word password: an example' },
    { text: 'postgres://app:${DB_PASSWORD}@db:5432/app', reason: 'a template variable' },
    { text: 'postgres://db.internal:5432/orders', reason: 'no credentials in the URL' },
    { text: 'mysql://root:****@db/app', reason: 'already masked' },
  ],
});
