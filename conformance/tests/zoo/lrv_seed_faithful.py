# Servidor da rifa (LRV), escrito como o enunciado sugere: o servidor
# processa as mensagens em handle_client e responde com o metodo send do
# socket. Os comandos chegam sem terminador (o cliente do enunciado faz
# send("DISPONIVEIS")) e sao comparados exatamente; as respostas tambem vao
# sem terminador. A rifa tem os numeros 0 a 99. Estado so em memoria.
#
# Uso: python3 lrv_seed_faithful.py <porta>
import random
import socket
import sys
import threading

HOST = "127.0.0.1"
TOTAL_NUMEROS = 100

numeros_disponiveis = list(range(TOTAL_NUMEROS))
compras = {}  # numero -> cpf
clientes = []  # cpfs registrados
sorteio = None  # (numero, cpf) depois do sorteio
lock = threading.Lock()


def handle_client(conn, addr):
    global sorteio
    print(f"Nova conexão: {addr}")
    conn.send("Bem-vindo à compra de rifa!".encode())
    cpf_cliente = None
    while True:
        data = conn.recv(1024)
        if not data:
            break
        data = data.decode()
        print(f"{addr} enviou: {data}")

        if data.startswith("REGISTRAR "):
            cpf = data[len("REGISTRAR "):]
            with lock:
                if cpf in clientes:
                    resposta = "201"
                else:
                    clientes.append(cpf)
                    resposta = "200"
            cpf_cliente = cpf
            conn.send(resposta.encode())

        elif data == "ESGOTOU":
            with lock:
                resposta = "205" if len(numeros_disponiveis) == 0 else "206"
            conn.send(resposta.encode())

        elif data == "DISPONIVEIS":
            with lock:
                lista = ", ".join(str(n) for n in numeros_disponiveis)
            conn.send(f"203-{lista}".encode())

        elif data == "COMPRADOS":
            if cpf_cliente is None:
                conn.send("Faça o registro primeiro".encode())
                continue
            with lock:
                meus = sorted(n for n, c in compras.items() if c == cpf_cliente)
            conn.send(("208-" + ", ".join(str(n) for n in meus)).encode())

        elif data.startswith("COMPRAR "):
            if cpf_cliente is None:
                conn.send("Faça o registro primeiro".encode())
                continue
            try:
                numero = int(data[len("COMPRAR "):])
            except ValueError:
                conn.send("400".encode())
                continue
            if numero < 0 or numero >= TOTAL_NUMEROS:
                conn.send("400".encode())
                continue
            with lock:
                if numero in numeros_disponiveis:
                    numeros_disponiveis.remove(numero)
                    compras[numero] = cpf_cliente
                    resposta = "202"
                else:
                    resposta = "401"
            conn.send(resposta.encode())

        elif data == "SORTEIO":
            with lock:
                if len(numeros_disponiveis) > 0:
                    resposta = "402"
                else:
                    if sorteio is None:
                        numero = random.choice(list(compras.keys()))
                        sorteio = (numero, compras[numero])
                    resposta = f"207 - Número sorteado: {sorteio[0]}, CPF ganhador: {sorteio[1]}"
            conn.send(resposta.encode())

        elif data == "SAIR":
            conn.send("204".encode())
            break

        else:
            conn.send("Comando inválido".encode())

    print(f"Conexão encerrada: {addr}")
    conn.close()


def main():
    porta = int(sys.argv[1])
    servidor = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    servidor.bind((HOST, porta))
    servidor.listen()
    print(f"Servidor da rifa ouvindo em {HOST}:{porta}")
    while True:
        conn, addr = servidor.accept()
        thread = threading.Thread(target=handle_client, args=(conn, addr), daemon=True)
        thread.start()


if __name__ == "__main__":
    main()
