import { lockRefusal } from "../../../lib/local/lock-demo";

// terraform apply -no-color, refused while another apply holds the lock (terraform 1.11.4 on moto).
const refused = `Acquiring state lock. This may take a few moments...
╷
│ Error: Error acquiring the state lock
│ 
│ Error message: operation error DynamoDB: PutItem, https response error
│ StatusCode: 400, RequestID: 8Q1GL3wGb1kDbyVwH1cY3Y4Xu8zDuVZp1h7VZy5RrJyIbKx4Q9u0,
│ ConditionalCheckFailedException: The conditional request failed
│ Lock Info:
│   ID:        9f9da49d-dcff-613c-4e94-5b0e2114f21e
│   Path:      tfstate-backend-terraform-state/terraform/state/terraform.tfstate
│   Operation: OperationTypeApply
│   Who:       root@vm
│   Version:   1.11.4
│   Created:   2026-11-30 04:59:40.735932912 +0000 UTC
│   Info:      
│ 
│ 
│ Terraform acquires a state lock to protect the state from being written
│ by multiple users at the same time. Please resolve the issue above and try
│ again. For most commands, you can disable locking with the "-lock=false"
│ flag, but this is not recommended.
╵
`;

describe("npm run local's view of a refused apply", () => {
  test("is the lock error and the holder's Lock Info, without the box drawing", () => {
    expect(lockRefusal(refused)).toEqual([
      "Error: Error acquiring the state lock",
      "Lock Info:",
      "  ID:        9f9da49d-dcff-613c-4e94-5b0e2114f21e",
      "  Path:      tfstate-backend-terraform-state/terraform/state/terraform.tfstate",
      "  Operation: OperationTypeApply",
      "  Who:       root@vm",
      "  Version:   1.11.4",
      "  Created:   2026-11-30 04:59:40.735932912 +0000 UTC",
      "  Info:",
    ]);
  });

  test("is empty for any other failure", () => {
    expect(lockRefusal("│ Error: No valid credential sources found")).toEqual([]);
  });
});
