// The official @azure/data-tables client's side of the storage benchmark (bench/Purview.Bench runs it).
// Usage: node bench/js/tables-insert.cjs <single|batch> <entities> <concurrency> <tableName> [warmupTable]
// Env: CS = connection string. Prints one JSON line: { mode, entities, seconds, entitiesPerSecond }.
const { TableClient } = require('@azure/data-tables');

const [mode, entitiesArg, concurrencyArg, tableName, warmupTable] = process.argv.slice(2);
const entities = Number(entitiesArg);
const concurrency = Number(concurrencyArg);
const options = { allowInsecureConnection: true };

// The same ~10 mixed-type properties as the C# side (Program.cs: Entity).
function entity(pk, rk, i) {
  return {
    partitionKey: pk,
    rowKey: rk,
    Name: 'entity-' + i,
    Description: 'A benchmark entity with a medium-length description text.',
    Count: i,
    Big: { value: String(10_000_000_000 + i), type: 'Int64' },
    Ratio: i + 0.25,
    Score: 0.5,
    Flag: i % 2 === 0,
    When: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    Id: { value: '0f8fad5b-d9cb-469f-a165-' + String(i).padStart(12, '0'), type: 'Guid' },
    Payload: new Uint8Array(16).fill(i % 256),
  };
}

async function single(client, count, offset) {
  let next = 0;
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const n = offset + i;
      await client.createEntity(entity('p' + (n % 1000), 'r' + n, n));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function batch(client, count, offset) {
  const batches = Math.ceil(count / 100);
  let next = 0;
  async function worker() {
    for (;;) {
      const b = next++;
      if (b >= batches) return;
      const pk = 'b' + (offset + b);
      const actions = [];
      for (let r = 0; r < 100 && b * 100 + r < count; r++) {
        actions.push(['create', entity(pk, 'r' + r, b * 100 + r)]);
      }
      await client.submitTransaction(actions);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
}

(async () => {
  const run = mode === 'batch' ? batch : single;
  if (warmupTable) {
    const warm = TableClient.fromConnectionString(process.env.CS, warmupTable, options);
    await warm.createTable();
    await run(warm, mode === 'batch' ? 400 : 200, 1_000_000);
    await warm.deleteTable();
  }

  const client = TableClient.fromConnectionString(process.env.CS, tableName, options);
  await client.createTable();
  const start = process.hrtime.bigint();
  await run(client, entities, 0);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // Outside the timing: a fast run that lost writes would be worthless.
  let stored = 0;
  for await (const _ of client.listEntities({ queryOptions: { select: ['Count'] } })) stored++;
  if (stored !== entities) throw new Error(`stored ${stored} of ${entities} entities`);
  await client.deleteTable();
  console.log(JSON.stringify({ mode, entities, seconds, entitiesPerSecond: entities / seconds }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
