// temporary: replaced by the lead's lib/consumer/run.ts
export { runConsumer } from "../../consumer.ts";
