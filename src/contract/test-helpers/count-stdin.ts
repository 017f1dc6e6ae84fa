/** Child process for the stdin test: reads events from `-` and prints ids and stats as JSON. */
import { openEvents } from '../read-jsonl.js';

const reader = openEvents('-');
const ids: string[] = [];
for await (const event of reader) ids.push(event.id);
process.stdout.write(JSON.stringify({ ids, stats: reader.stats }));
